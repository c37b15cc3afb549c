using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Client;

/// <summary>
/// What a client subscription asks the server for (Part 4 §5.13.2). The server revises the values; the revised ones
/// are on <see cref="Subscription"/>.
/// </summary>
public sealed record SubscriptionOptions
{
    /// <summary>How often the server sends queued notifications (OPC Publisher's OpcPublishingInterval).</summary>
    public TimeSpan PublishingInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Publishing intervals without data after which the server sends a keep-alive.</summary>
    public uint KeepAliveCount { get; init; } = 10;

    /// <summary>
    /// Publishing intervals without Publish requests after which the server deletes the subscription. 0 asks for
    /// at least a minute (and 3x the keep-alive count), so the server keeps it through a reconnect.
    /// </summary>
    public uint LifetimeCount { get; init; }

    internal uint EffectiveLifetimeCount =>
        LifetimeCount != 0 ? LifetimeCount
            : (uint)Math.Min(uint.MaxValue, Math.Max(3.0 * Math.Max(1, KeepAliveCount), Math.Ceiling(60_000 / Math.Max(1, PublishingInterval.TotalMilliseconds))));

    /// <summary>Most notifications in one message; 0 leaves it to the server.</summary>
    public uint MaxNotificationsPerPublish { get; init; }

    public byte Priority { get; init; }

    public bool PublishingEnabled { get; init; } = true;

    /// <summary>Which timestamps the server returns with each value.</summary>
    public TimestampsToReturn TimestampsToReturn { get; init; } = TimestampsToReturn.Both;

    /// <summary>
    /// Notifications buffered for <see cref="Subscription.ReadNotificationsAsync"/> before the oldest undelivered
    /// batches are dropped and reported as a <see cref="DataGap"/> (<see cref="GapReason.ConsumerTooSlow"/>).
    /// </summary>
    public int StreamCapacity { get; init; } = 10_000;
}

/// <summary>
/// One value to monitor (Part 4 §5.12.2). Maps the OPC Publisher's node settings: <see cref="SamplingInterval"/>
/// (OpcSamplingInterval), <see cref="QueueSize"/>, <see cref="DiscardOldest"/>, and <see cref="Filter"/> for
/// DataChangeTrigger and DeadbandType/DeadbandValue.
/// </summary>
public sealed record MonitoredItemOptions(NodeId NodeId)
{
    public AttributeId AttributeId { get; init; } = AttributeId.Value;

    /// <summary>NumericRange of an array value ("2:5"), or null for the whole value.</summary>
    public string? IndexRange { get; init; }

    /// <summary>Null samples at the publishing interval; <see cref="TimeSpan.Zero"/> asks for the fastest the server supports.</summary>
    public TimeSpan? SamplingInterval { get; init; }

    /// <summary>Values kept between two publishes; 1 keeps only the newest.</summary>
    public uint QueueSize { get; init; } = 1;

    /// <summary>When the queue is full: drop the oldest (true) or replace the newest (false). Either sets the overflow bit.</summary>
    public bool DiscardOldest { get; init; } = true;

    public MonitoringMode MonitoringMode { get; init; } = MonitoringMode.Reporting;

    /// <summary>Trigger and deadband; null means the server default (StatusValue, no deadband).</summary>
    public DataChangeFilter? Filter { get; init; }

    /// <summary>Caller's state carried to <see cref="MonitoredItem.Tag"/> (for example the publisher's node configuration).</summary>
    public object? Tag { get; init; }

    internal MonitoringParameters ToParameters(uint clientHandle) => new()
    {
        ClientHandle = clientHandle,
        SamplingInterval = SamplingInterval is { } interval ? interval.TotalMilliseconds : -1,
        Filter = Filter is null ? null : new ExtensionObject(Filter),
        QueueSize = QueueSize,
        DiscardOldest = DiscardOldest,
    };
}
