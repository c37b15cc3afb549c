namespace EdgeApp.Gateway.Sinks;

/// <summary>
/// A destination for events. <see cref="WriteAsync"/> completes only when every record it did not reject is
/// durable there, and throws on any failure that a later attempt might not have (the batch is then spooled or
/// delivered again, so a sink may see duplicates, never gaps).
/// </summary>
public interface IEventSink
{
    string Name { get; }

    /// <returns>The records refused for good, by index into <paramref name="batch"/>; usually none.</returns>
    ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken);
}
