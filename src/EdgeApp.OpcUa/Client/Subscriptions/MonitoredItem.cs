using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Client;

/// <summary>
/// A monitored item of a client <see cref="Subscription"/>: what was asked (<see cref="Options"/>), what the server
/// granted, and the last value received. <see cref="ClientHandle"/> is unique within the client and survives
/// reconnects and re-created subscriptions; <see cref="ServerId"/> may change when a subscription is re-created.
/// </summary>
public sealed class MonitoredItem
{
    private DataValue _lastValue;
    private bool _hasValue;

    internal MonitoredItem(Subscription subscription, MonitoredItemOptions options, uint clientHandle)
    {
        Subscription = subscription;
        Options = options;
        ClientHandle = clientHandle;
        Tag = options.Tag;
    }

    public Subscription Subscription { get; }

    public MonitoredItemOptions Options { get; internal set; }

    public NodeId NodeId => Options.NodeId;

    public uint ClientHandle { get; }

    /// <summary>The server's id of the item; 0 while it does not exist there.</summary>
    public uint ServerId { get; internal set; }

    /// <summary>The result of the last create/modify: Good, or why the server refused the item.</summary>
    public StatusCode Status { get; internal set; }

    public bool IsCreated => ServerId != 0 && Status.IsGood;

    public TimeSpan RevisedSamplingInterval { get; internal set; }

    public uint RevisedQueueSize { get; internal set; }

    public MonitoringMode MonitoringMode { get; internal set; }

    /// <summary>Caller's state (from <see cref="MonitoredItemOptions.Tag"/>).</summary>
    public object? Tag { get; set; }

    /// <summary>The last value delivered for this item, if any (for publisher-side heartbeats).</summary>
    public DataValue? LastValue => _hasValue ? _lastValue : null;

    internal void SetLastValue(in DataValue value)
    {
        _lastValue = value;
        _hasValue = true;
    }

    internal void Apply(MonitoredItemCreateResult result)
    {
        Status = result.StatusCode;
        ServerId = result.StatusCode.IsGood ? result.MonitoredItemId : 0;
        RevisedSamplingInterval = TimeSpan.FromMilliseconds(result.RevisedSamplingInterval);
        RevisedQueueSize = result.RevisedQueueSize;
        MonitoringMode = Options.MonitoringMode;
    }

    public override string ToString() => $"{NodeId} (handle {ClientHandle}, id {ServerId}, {Status})";
}
