using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Options;

namespace EdgeApp.Messaging.Transports.Dapr;

/// <summary>Publishes through the Dapr sidecar with our own CloudEvents.</summary>
internal sealed class DaprPublisher(
    DaprSidecarClient sidecar,
    IOptions<MessagingOptions> options,
    MessagingTelemetry telemetry,
    TimeProvider time) : EventPublisherBase(options, telemetry, time)
{
    private readonly MessagingOptions settings = options.Value;

    protected override string MessagingSystem => DaprSidecar.MessagingSystem;

    protected override Task SendAsync(string topic, byte[][] envelopes, CancellationToken cancellationToken) =>
        sidecar.PublishAsync(
            settings.PubSubName, topic, envelopes.Select(e => (ReadOnlyMemory<byte>)e).ToArray(), settings.Dapr.BulkPublish, cancellationToken);
}
