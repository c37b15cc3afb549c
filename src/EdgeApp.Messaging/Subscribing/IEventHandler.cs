namespace EdgeApp.Messaging;

/// <summary>
/// Handles the events of one subscription, whichever transport delivers them. An exception counts as
/// <see cref="DeliveryStatus.Retry"/> for every event it leaves without a status.
/// </summary>
public interface IEventHandler
{
    ValueTask<DeliveryStatus> HandleAsync(ReceivedEvent received, CancellationToken cancellationToken);

    /// <summary>
    /// Handles a batch in broker order, writing one status per event into <paramref name="statuses"/>.
    /// Override it when a batch can be made durable at once (one write and flush for many events).
    /// </summary>
    async ValueTask HandleBatchAsync(IReadOnlyList<ReceivedEvent> batch, DeliveryStatus[] statuses, CancellationToken cancellationToken)
    {
        for (var i = 0; i < batch.Count; i++)
        {
            statuses[i] = await HandleAsync(batch[i], cancellationToken).ConfigureAwait(false);
        }
    }
}
