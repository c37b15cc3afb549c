using System.Diagnostics;
using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Forwarding;
using EdgeApp.Gateway.Routing;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Messaging;

namespace EdgeApp.Gateway;

/// <summary>
/// Routes every delivered batch to its sinks and reports an event as done only once every sink it was routed to
/// (or the dead-letter sink) has it durably, so the upstream acknowledgement never runs ahead of the data.
/// </summary>
public sealed partial class GatewayHandler(
    Router router,
    SinkChannels channels,
    GatewayDeadLetters deadLetters,
    GatewayMetrics metrics,
    TimeProvider time,
    ILogger<GatewayHandler> logger) : IEventHandler
{
    public async ValueTask<DeliveryStatus> HandleAsync(ReceivedEvent received, CancellationToken cancellationToken)
    {
        var statuses = new DeliveryStatus[1];
        await HandleBatchAsync([received], statuses, cancellationToken);
        return statuses[0];
    }

    public async ValueTask HandleBatchAsync(IReadOnlyList<ReceivedEvent> batch, DeliveryStatus[] statuses, CancellationToken cancellationToken)
    {
        // Nothing counts as done until a sink (or its spool) has it: whatever is not marked below is delivered again.
        metrics.Received.Add(batch.Count);
        Array.Fill(statuses, DeliveryStatus.Retry, 0, batch.Count);
        var failed = new bool[batch.Count];
        var records = new SinkRecord[batch.Count];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = SinkRecord.From(batch[i].Event);
        }

        var plan = router.Plan(batch);
        var refused = new List<(int Index, string Reason, string? Sink)>();
        refused.AddRange(plan.Unroutable.Select(i => (i, "no route matches the event", (string?)null)));
        foreach (var (sinkName, indexes) in plan.BySink)
        {
            var channel = channels[sinkName];
            var subset = indexes.Select(i => records[i]).ToArray();
            using var activity = GatewayMetrics.ActivitySource.StartActivity(sinkName + " write");
            activity?.SetTag("edgeapp.sink", sinkName);
            activity?.SetTag("edgeapp.batch.size", subset.Length);
            try
            {
                var result = await channel.WriteAsync(subset, cancellationToken);
                refused.AddRange(result.Rejections.Select(r => (indexes[r.Index], r.Reason, (string?)sinkName)));
                var taken = subset.Length - result.Rejections.Count;
                var sinkTag = new KeyValuePair<string, object?>("sink", sinkName);
                if (result.Spooled)
                {
                    metrics.Spooled.Add(taken, sinkTag);
                }
                else
                {
                    metrics.Written.Add(taken, sinkTag);
                    RecordLag(subset, sinkName);
                }
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                foreach (var index in indexes)
                {
                    failed[index] = true;
                }

                metrics.Failed.Add(subset.Length, new KeyValuePair<string, object?>("sink", sinkName));
                activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
                LogSinkFailed(sinkName, subset.Length, ex.Message);
            }
        }

        if (refused.Count > 0 && !await deadLetters.TryWriteAsync(refused.Select(r => (records[r.Index], r.Reason, r.Sink)).ToList(), cancellationToken))
        {
            foreach (var (index, _, _) in refused)
            {
                failed[index] = true;
            }
        }

        for (var i = 0; i < batch.Count; i++)
        {
            if (!failed[i])
            {
                statuses[i] = DeliveryStatus.Success;
            }
        }
    }

    private void RecordLag(SinkRecord[] written, string sinkName)
    {
        var now = time.GetUtcNow();
        var tag = new KeyValuePair<string, object?>("sink", sinkName);
        foreach (var record in written)
        {
            if (record.EventTime is { } produced)
            {
                metrics.Lag.Record((now - produced).TotalMilliseconds, tag);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} failed on {Count} events; they will be delivered again: {Problem}")]
    private partial void LogSinkFailed(string sink, int count, string problem);
}
