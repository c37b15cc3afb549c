using System.Net;
using EdgeApp.Messaging.Transports.Dapr;

namespace EdgeApp.Gateway.Sinks.Dapr;

/// <summary>
/// Forwards CloudEvents to another Dapr pub/sub component (the seed's way to reach the cloud). Their ids, source,
/// type and data survive the hop; the sidecar sets the trace attributes, topic and pubsubname of the new hop.
/// A request the sidecar refuses as malformed or too large is retried one event at a time, so only the
/// offending events are refused for good.
/// </summary>
public sealed class DaprPubSubSink(string name, DaprSidecarClient sidecar, DaprPubSubSinkOptions options) : IEventSink
{
    public string Name => name;

    public async ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        try
        {
            await sidecar.PublishAsync(options.PubSubName, options.Topic, batch.Select(r => r.Envelope).ToArray(), options.BulkPublish, cancellationToken);
            return [];
        }
        catch (HttpRequestException ex) when (IsPermanent(ex) && batch.Count > 1)
        {
            var rejections = new List<SinkRejection>();
            for (var i = 0; i < batch.Count; i++)
            {
                try
                {
                    await sidecar.PublishAsync(options.PubSubName, options.Topic, [batch[i].Envelope], bulk: false, cancellationToken);
                }
                catch (HttpRequestException single) when (IsPermanent(single))
                {
                    rejections.Add(new SinkRejection(i, single.Message));
                }
            }

            return rejections;
        }
        catch (HttpRequestException ex) when (IsPermanent(ex))
        {
            return [new SinkRejection(0, ex.Message)];
        }
    }

    /// <summary>Malformed (400) or too large (413): sending the same bytes again cannot succeed.</summary>
    private static bool IsPermanent(HttpRequestException ex) =>
        ex.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge;
}
