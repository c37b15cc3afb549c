using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeApp.Messaging.Transports.Dapr;

/// <summary>Ready when the sidecar's outbound health endpoint answers (its components are initialised).</summary>
internal sealed class DaprHealthCheck(IHttpClientFactory httpClientFactory, TransportHealth health) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connected = false;
        try
        {
            var client = httpClientFactory.CreateClient(DaprSidecar.HttpClientName);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            using var response = await client.GetAsync("v1.0/healthz/outbound", timeout.Token).ConfigureAwait(false);
            connected = response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            // Reported below as not connected.
        }

        return health.Evaluate(connected, "Dapr sidecar");
    }
}
