using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeApp.Gateway.Forwarding;

/// <summary>
/// Degraded (still ready: events are being stored) while any sink is behind and spooling; the data says how far.
/// </summary>
internal sealed class SinkHealthCheck(SinkChannels channels, TimeProvider time) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        var data = new Dictionary<string, object>();
        var behind = new List<string>();
        foreach (var channel in channels.All)
        {
            var depth = channel.Spool.Count;
            data[channel.Name + ".spooled"] = depth;
            if (channel.IsSpooling || depth > 0)
            {
                var age = channel.Spool.OldestEnqueuedAt is { } oldest ? (now - oldest).TotalSeconds : 0;
                behind.Add($"{channel.Name} ({depth} spooled, oldest {age:F0} s)");
            }
        }

        return Task.FromResult(behind.Count == 0
            ? HealthCheckResult.Healthy("Every sink takes events directly.", data)
            : HealthCheckResult.Degraded("Spooling for: " + string.Join(", ", behind), data: data));
    }
}
