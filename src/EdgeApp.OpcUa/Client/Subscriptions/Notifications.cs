using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Client;

/// <summary>What a <see cref="Subscription"/> delivers: <see cref="DataChangeBatch"/>, <see cref="DataGap"/> or <see cref="SubscriptionStatusChanged"/>.</summary>
public abstract record SubscriptionNotification(Subscription Subscription);

/// <summary>
/// The values of one NotificationMessage, in the order the server queued them (per item, oldest first). Values whose
/// item was removed meanwhile are left out.
/// </summary>
public sealed record DataChangeBatch(Subscription Subscription, uint SequenceNumber, DateTime PublishTime, DataChange[] Changes)
    : SubscriptionNotification(Subscription);

/// <summary>One value of one monitored item: status, source and server timestamps are in <see cref="Value"/>.</summary>
public readonly record struct DataChange(MonitoredItem Item, DataValue Value)
{
    public uint ClientHandle => Item.ClientHandle;

    public StatusCode StatusCode => Value.StatusCode;

    public DateTime SourceTimestamp => Value.SourceTimestamp;

    public DateTime ServerTimestamp => Value.ServerTimestamp;

    /// <summary>The server's queue for this item overflowed: values were dropped before this one (Part 4 §7.39).</summary>
    public bool Overflow => (Value.StatusCode.Code & StatusCodes.OverflowBits) == StatusCodes.OverflowBits;
}

/// <summary>Why data may be missing.</summary>
public enum GapReason
{
    /// <summary>Messages were sent by the server but lost, and Republish could no longer get them.</summary>
    MessagesLost,

    /// <summary>The server lost the subscription (restart, or its lifetime ran out while disconnected); it was created again.</summary>
    SubscriptionRecreated,

    /// <summary>The reader of <see cref="Subscription.ReadNotificationsAsync"/> fell behind and batches were dropped.</summary>
    ConsumerTooSlow,
}

/// <summary>
/// Data may have been missed between <see cref="From"/> and <see cref="To"/> (server publish times, UTC). Values that
/// changed in that range and were not delivered are lost; values delivered after <see cref="To"/> are current again
/// (a re-created subscription starts with every item's current value).
/// </summary>
public sealed record DataGap(Subscription Subscription, DateTime From, DateTime To, GapReason Reason, uint[] LostSequenceNumbers)
    : SubscriptionNotification(Subscription)
{
    /// <summary>First sequence number of the lost run (MessagesLost; 0 otherwise).</summary>
    public uint FirstLost { get; init; }

    /// <summary>
    /// Last sequence number of the lost run (MessagesLost; 0 otherwise). <see cref="LostSequenceNumbers"/> lists at
    /// most the first 1,024 of a long run; this range is complete.
    /// </summary>
    public uint LastLost { get; init; }
}

/// <summary>The server reported a change of the subscription itself (Part 4 §7.20.4), e.g. Bad_Timeout.</summary>
public sealed record SubscriptionStatusChanged(Subscription Subscription, StatusCode Status) : SubscriptionNotification(Subscription);
