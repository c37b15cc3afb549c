using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Sinks;

namespace EdgeApp.Gateway.Forwarding;

/// <summary>Writes refused events, wrapped with their reason, to the configured dead-letter sink, and counts them.</summary>
public sealed partial class GatewayDeadLetters(
    SinkChannels channels,
    GatewayOptionsAccessor options,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<GatewayDeadLetters> logger)
{
    /// <returns>False when the dead-letter sink did not take them; the events must then be delivered again.</returns>
    public async Task<bool> TryWriteAsync(IReadOnlyList<(SinkRecord Record, string Reason, string? Sink)> refused, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var wrapped = refused.Select(r => DeadLetterRecord.Wrap(r.Record, r.Reason, r.Sink, now)).ToArray();
        var channel = channels[options.Value.DeadLetterSink];
        try
        {
            await channel.WriteAsync(wrapped, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeadLetterFailed(channel.Name, wrapped.Length, ex.Message);
            return false;
        }

        foreach (var group in refused.GroupBy(r => r.Sink is null ? "unroutable" : "rejected"))
        {
            metrics.DeadLettered.Add(group.Count(), new KeyValuePair<string, object?>("reason", group.Key));
        }

        LogDeadLettered(wrapped.Length, channel.Name, refused[0].Reason);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events went to dead-letter sink {Sink}; first reason: {Reason}")]
    private partial void LogDeadLettered(int count, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-letter sink {Sink} failed on {Count} events; they will be delivered again: {Problem}")]
    private partial void LogDeadLetterFailed(string sink, int count, string problem);
}

/// <summary>The validated gateway options, read once at start.</summary>
public sealed record GatewayOptionsAccessor(GatewayOptions Value);
