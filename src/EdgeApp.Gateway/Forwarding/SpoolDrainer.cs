using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Spool;
using EdgeApp.Messaging;

namespace EdgeApp.Gateway.Forwarding;

/// <summary>
/// Drains every sink's spool in order once the sink takes events again: peek a batch, send it, dead-letter what
/// the sink refuses for good, then commit. A failure leaves the batch at the head to be sent again after a
/// back-off, so a crash or an outage between send and commit duplicates, never loses. No failure ends a loop.
/// </summary>
public sealed partial class SpoolDrainer(
    SinkChannels channels,
    GatewayDeadLetters deadLetters,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<SpoolDrainer> logger) : BackgroundService
{
    private const int BatchRecords = 1000;
    private const long BatchBytes = 4L << 20;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(channels.All.Select(channel => Task.Run(() => DrainAsync(channel, stoppingToken), stoppingToken)));

    private async Task DrainAsync(SinkChannel channel, CancellationToken stoppingToken)
    {
        var delay = TimeSpan.Zero;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await channel.Spool.WaitForRecordsAsync(stoppingToken);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, stoppingToken);
                }

                var spooled = await channel.Spool.PeekAsync(BatchRecords, BatchBytes, stoppingToken);
                var sent = await DrainBatchAsync(channel, spooled, stoppingToken);
                delay = sent ? TimeSpan.Zero : Longer(delay);
                if (sent)
                {
                    await channel.TryStopSpoolingAsync(BatchRecords, (records, ct) => DrainBatchAsync(channel, records, ct), stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                // Whatever is still spooled is drained after the next start.
                return;
            }
            catch (Exception ex)
            {
                // A disk error or anything unforeseen: the records stay spooled; try again later rather than stop.
                delay = Longer(delay);
                LogDrainLoopFailed(ex, channel.Name, delay.TotalMilliseconds);
            }
        }
    }

    /// <returns>False when the sink (or the dead-letter sink) failed and the batch stays at the head.</returns>
    private async Task<bool> DrainBatchAsync(SinkChannel channel, IReadOnlyList<SpoolRecord> spooled, CancellationToken stoppingToken)
    {
        if (spooled.Count == 0)
        {
            return true;
        }

        var records = spooled.Select(r => new SinkRecord(r.Id, r.PartitionKey, CloudEventReader.TryReadTime(r.Payload.Span), r.Payload)).ToArray();
        var sinkTag = new KeyValuePair<string, object?>("sink", channel.Name);
        IReadOnlyList<SinkRejection> rejections;
        try
        {
            rejections = await channel.SendAsync(records, stoppingToken);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogDrainFailed(channel.Name, channel.Spool.Count, ex.Message);
            return false;
        }

        if (rejections.Count > 0
            && !await deadLetters.TryWriteAsync(rejections.Select(r => (records[r.Index], r.Reason, (string?)channel.Name)).ToList(), stoppingToken))
        {
            return false;
        }

        await channel.Spool.CommitAsync(spooled.Count, stoppingToken);
        metrics.Written.Add(records.Length - rejections.Count, sinkTag);
        var now = time.GetUtcNow();
        foreach (var record in records)
        {
            if (record.EventTime is { } produced)
            {
                metrics.Lag.Record((now - produced).TotalMilliseconds, sinkTag);
            }
        }

        return true;
    }

    private static TimeSpan Longer(TimeSpan delay) => TimeSpan.FromMilliseconds(Math.Clamp(delay.TotalMilliseconds * 2, 200, 30_000));

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} still fails; {Waiting} spooled events wait: {Problem}")]
    private partial void LogDrainFailed(string sink, long waiting, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Draining the spool of sink {Sink} failed; trying again in {DelayMs:F0} ms")]
    private partial void LogDrainLoopFailed(Exception exception, string sink, double delayMs);
}
