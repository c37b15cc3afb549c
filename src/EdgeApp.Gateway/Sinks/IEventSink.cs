using EdgeApp.Messaging;

namespace EdgeApp.Gateway.Sinks;

/// <summary>
/// A destination for events. <see cref="WriteAsync"/> completes only when the whole batch is durable there
/// (the upstream acknowledgement waits for it) and throws otherwise; the batch is then delivered again.
/// </summary>
public interface IEventSink
{
    string Name { get; }

    ValueTask WriteAsync(IReadOnlyList<ReceivedEvent> batch, CancellationToken cancellationToken);
}
