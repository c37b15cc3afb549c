using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcPublisher.Engine;

/// <summary>
/// A configured node of a writer: its plan, its monitored item once the server accepted it (or the status it refused
/// it with), and what the writer remembers of it (last value for key frames and heartbeats, whether the first value
/// came). <see cref="Plan"/>, <see cref="Item"/> and <see cref="Status"/> are set by the session; the value state only
/// by the writer's loop.
/// </summary>
internal sealed class NodeState(NodePlan plan)
{
    /// <summary>Not monitored yet (Part 4 Annex: Bad_WaitingForInitialData).</summary>
    public static readonly StatusCode BadWaitingForInitialData = new(0x8032_0000);

    public NodePlan Plan { get; set; } = plan;

    public MonitoredItem? Item { get; set; }

    /// <summary>Good once monitored; otherwise why not (BadNodeIdUnknown, BadNotConnected, ...).</summary>
    public StatusCode Status { get; set; } = BadWaitingForInitialData;

    public string? Error { get; set; }

    /// <summary>The plan changed in a way the server must know, and telling it failed; tried again on the next reconcile.</summary>
    public bool NeedsModify { get; set; }

    /// <summary>The item must be made again (the server's namespace table changed under an <c>nsu=</c> id).</summary>
    public bool NeedsRecreate { get; set; }

    public DataValue? Last { get; set; }

    public bool SeenFirst { get; set; }

    /// <summary>When a value of this node was last put in a message (UTC ticks), for the heartbeat watchdog.</summary>
    public long LastSentTicks { get; set; }

    /// <summary>The data set message part the node's latest value went into (a node is in a part once).</summary>
    public long PartStamp { get; set; }
}
