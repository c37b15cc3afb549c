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
    /// <returns>
    /// False when the dead-letter sink did not take every one of them (it failed, or refused some in turn): the
    /// events must then be delivered again rather than counted as dead-lettered.
    /// </returns>
    public async Task<bool> TryWriteAsync(IReadOnlyList<(SinkRecord Record, string Reason, string? Sink)> refused, CancellationToken cancellationToken)
    {
        var channel = channels[options.Value.DeadLetterSink];
        try
        {
            var now = time.GetUtcNow();
            var wrapped = refused.Select(r => DeadLetterRecord.Wrap(r.Record, r.Reason, r.Sink, now)).ToArray();
            var result = await channel.WriteAsync(wrapped, cancellationToken);
            if (result.Rejections.Count > 0)
            {
                LogDeadLetterRefused(channel.Name, result.Rejections.Count, result.Rejections[0].Reason);
                return false;
            }
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeadLetterFailed(channel.Name, refused.Count, ex.Message);
            return false;
        }

        foreach (var group in refused.GroupBy(r => r.Sink is null ? "unroutable" : "rejected"))
        {
            metrics.DeadLettered.Add(group.Count(), new KeyValuePair<string, object?>("reason", group.Key));
        }

        LogDeadLettered(refused.Count, channel.Name, refused[0].Reason);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Count} events went to dead-letter sink {Sink}; first reason: {Reason}")]
    private partial void LogDeadLettered(int count, string sink, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-letter sink {Sink} failed on {Count} events; they will be delivered again: {Problem}")]
    private partial void LogDeadLetterFailed(string sink, int count, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Dead-letter sink {Sink} refused {Count} events; they will be delivered again: {Reason}")]
    private partial void LogDeadLetterRefused(string sink, int count, string reason);
}

/// <summary>The validated gateway options, read once at start.</summary>
public sealed record GatewayOptionsAccessor(GatewayOptions Value);
