using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeApp.Messaging.Diagnostics;

/// <summary>
/// What the transport's loops last reported about themselves; the "messaging" readiness check reads it, so an
/// unreachable broker makes the app unready (not dead) while the loops retry with backoff.
/// </summary>
public sealed class TransportHealth
{
    private readonly ConcurrentDictionary<string, (bool Healthy, string? Problem)> parts = new(StringComparer.Ordinal);

    public void ReportHealthy(string part) => parts[part] = (true, null);

    public void ReportUnhealthy(string part, string problem) => parts[part] = (false, problem);

    public HealthCheckResult Evaluate(bool brokerConnected, string brokerDescription)
    {
        var problems = parts.Where(p => !p.Value.Healthy).Select(p => $"{p.Key}: {p.Value.Problem}").ToList();
        if (!brokerConnected)
        {
            problems.Insert(0, $"{brokerDescription} is not connected");
        }

        var data = parts.ToDictionary(p => p.Key, p => (object)(p.Value.Healthy ? "healthy" : p.Value.Problem ?? "unhealthy"));
        return problems.Count == 0
            ? HealthCheckResult.Healthy(brokerDescription + " connected", data)
            : HealthCheckResult.Unhealthy(string.Join("; ", problems), data: data);
    }
}
