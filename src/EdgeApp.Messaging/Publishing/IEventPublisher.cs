namespace EdgeApp.Messaging;

/// <summary>Publishes CloudEvents to a topic, whichever transport is configured.</summary>
public interface IEventPublisher
{
    /// <summary>Completes when the broker (or sidecar) has accepted the event.</summary>
    Task PublishAsync(string topic, OutgoingEvent outgoing, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publishes events in one round trip where the transport can. Completes when all were accepted; on failure
    /// some may have been, so a retry can duplicate: give events an <see cref="OutgoingEvent.Id"/> to make
    /// duplicates identifiable.
    /// </summary>
    Task PublishBatchAsync(string topic, IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken = default);
}
