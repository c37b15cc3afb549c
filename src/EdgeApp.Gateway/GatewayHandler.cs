using System.Diagnostics;
using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Messaging;

namespace EdgeApp.Gateway;

/// <summary>
/// Routes every delivered batch to the sink and reports success only once the sink has it durably, so the
/// upstream acknowledgement never runs ahead of the data.
/// </summary>
public sealed partial class GatewayHandler(
    IEventSink sink,
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
        var sinkTag = new KeyValuePair<string, object?>("sink", sink.Name);
        metrics.Received.Add(batch.Count);
        using var activity = GatewayMetrics.ActivitySource.StartActivity(sink.Name + " write");
        activity?.SetTag("edgeapp.sink", sink.Name);
        activity?.SetTag("edgeapp.batch.size", batch.Count);
        try
        {
            await sink.WriteAsync(batch, cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            Array.Fill(statuses, DeliveryStatus.Retry, 0, batch.Count);
            metrics.Failed.Add(batch.Count, sinkTag);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            LogSinkFailed(sink.Name, batch.Count, ex.Message);
            return;
        }

        Array.Fill(statuses, DeliveryStatus.Success, 0, batch.Count);
        metrics.Written.Add(batch.Count, sinkTag);
        var now = time.GetUtcNow();
        foreach (var received in batch)
        {
            if (received.Event.Time is { } produced)
            {
                metrics.Lag.Record((now - produced).TotalMilliseconds, sinkTag);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} failed on {Count} events; they will be delivered again: {Problem}")]
    private partial void LogSinkFailed(string sink, int count, string problem);
}
