using EdgeApp.Messaging.Transports.Dapr;

namespace EdgeApp.Gateway.Sinks.Dapr;

/// <summary>
/// Forwards CloudEvents unchanged to another Dapr pub/sub component (the seed's way to reach the cloud), so their
/// ids and trace context survive the hop.
/// </summary>
public sealed class DaprPubSubSink(string name, DaprSidecarClient sidecar, DaprPubSubSinkOptions options) : IEventSink
{
    public string Name => name;

    public async ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        await sidecar.PublishAsync(options.PubSubName, options.Topic, batch.Select(r => r.Envelope).ToArray(), options.BulkPublish, cancellationToken);
        return [];
    }
}
