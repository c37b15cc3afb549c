using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeApp.Messaging.Transports.RedisStreams;

internal sealed class RedisStreamsHealthCheck(RedisConnections connections, TransportHealth health) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var connected = false;
        try
        {
            var database = await connections.GetDatabaseAsync().ConfigureAwait(false);
            await database.PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
            connected = true;
        }
        catch (Exception ex) when (ex is StackExchange.Redis.RedisException or TimeoutException)
        {
            // Reported below as not connected.
        }

        return health.Evaluate(connected, "Redis");
    }
}
