using System.Diagnostics;
using EdgeApp.Messaging;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.Spool;
using Microsoft.Extensions.Options;

namespace EdgeApp.OpcPublisher.Output;

/// <summary>Whether handing messages to the broker works; read by the health check.</summary>
public sealed class ForwarderState
{
    public string? LastFailure { get; set; }
}

/// <summary>
/// Drains the spool into the messaging layer in order: peek a batch, publish it (one publish per run of messages that
/// came from the same received notification, under that notification's trace), commit. A failure leaves the batch at
/// the head and is tried again after a back-off, so a crash between publish and commit duplicates (same CloudEvent
/// id), never loses.
/// </summary>
public sealed partial class SpoolForwarder(
    MessageSpool spool,
    IEventPublisher publisher,
    IOptions<OpcPublisherOptions> options,
    PublisherMetrics metrics,
    ForwarderState state,
    TimeProvider time,
    ILogger<SpoolForwarder> logger) : BackgroundService
{
    private const int BatchRecords = 500;

    // Dapr's sidecar refuses bulk requests above 4 MB; stay well below with the envelope overhead.
    private const long BatchBytes = 2L << 20;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var delay = TimeSpan.Zero;
        var topic = options.Value.Topic;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await spool.Spool.WaitForRecordsAsync(stoppingToken);
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay, time, stoppingToken);
                }

                var records = await spool.Spool.PeekAsync(BatchRecords, BatchBytes, stoppingToken);
                if (records.Count == 0)
                {
                    continue;
                }

                var messages = Readable(records);
                if (messages.Count == 0)
                {
                    // The head record cannot be read (another version's layout, damage the checksum missed): drop it so
                    // the records behind it go out.
                    await spool.Spool.CommitAsync(1, stoppingToken);
                    metrics.Dropped(1, "UnreadableRecord");
                    LogUnreadable(records[0].Id);
                    continue;
                }

                try
                {
                    await PublishAsync(publisher, topic, messages, stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    state.LastFailure = ex.Message;
                    delay = TimeSpan.FromMilliseconds(Math.Clamp(delay.TotalMilliseconds * 2, 200, 10_000));
                    LogForwardFailed(spool.Spool.Count, ex.Message);
                    continue;
                }

                await spool.Spool.CommitAsync(messages.Count, stoppingToken);
                metrics.Forwarded(messages.Count, messages.Sum(m => m.Values), messages.Min(m => m.Time), time.GetUtcNow());
                state.LastFailure = null;
                delay = TimeSpan.Zero;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return; // what is still spooled goes out after the next start
            }
            catch (ObjectDisposedException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                delay = TimeSpan.FromMilliseconds(Math.Clamp(delay.TotalMilliseconds * 2, 200, 10_000));
                LogLoopFailed(ex, delay.TotalMilliseconds);
            }
        }
    }

    /// <summary>The records up to the first that cannot be read.</summary>
    private static List<EncodedMessage> Readable(IReadOnlyList<SpoolRecord> records)
    {
        var messages = new List<EncodedMessage>(records.Count);
        foreach (var record in records)
        {
            try
            {
                messages.Add(SpooledMessage.FromRecord(record));
            }
            catch (InvalidDataException)
            {
                break;
            }
        }

        return messages;
    }

    /// <summary>Publishes in order, one call per run of messages sharing a trace, each under an activity continuing that trace.</summary>
    internal static async Task PublishAsync(IEventPublisher publisher, string topic, IReadOnlyList<EncodedMessage> messages, CancellationToken cancellationToken)
    {
        var start = 0;
        while (start < messages.Count)
        {
            var end = start + 1;
            while (end < messages.Count && messages[end].TraceParent == messages[start].TraceParent)
            {
                end++;
            }

            var run = new List<OutgoingEvent>(end - start);
            for (var i = start; i < end; i++)
            {
                run.Add(SpooledMessage.ToOutgoing(messages[i]));
            }

            using (Continue(messages[start]))
            {
                await publisher.PublishBatchAsync(topic, run, cancellationToken);
            }

            start = end;
        }
    }

    /// <summary>An activity in the trace the values were received under; made by hand when nothing listens, so the trace id still travels.</summary>
    private static Activity? Continue(EncodedMessage message)
    {
        if (message.TraceParent is not { } parent || !ActivityContext.TryParse(parent, message.TraceState, isRemote: false, out var context))
        {
            return null;
        }

        var activity = PublisherMetrics.ActivitySource.StartActivity("opc-publisher forward", ActivityKind.Internal, context);
        if (activity is null)
        {
            activity = new Activity("opc-publisher forward");
            activity.SetParentId(context.TraceId, context.SpanId, context.TraceFlags);
            activity.Start();
        }

        activity.SetTag("messaging.message.id", message.Id);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing spooled messages failed; {Waiting} wait in the spool: {Problem}")]
    private partial void LogForwardFailed(long waiting, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Spooled message {Id} cannot be read and is dropped")]
    private partial void LogUnreadable(string id);

    [LoggerMessage(Level = LogLevel.Error, Message = "Forwarding from the spool failed; trying again in {DelayMs:F0} ms")]
    private partial void LogLoopFailed(Exception exception, double delayMs);
}
