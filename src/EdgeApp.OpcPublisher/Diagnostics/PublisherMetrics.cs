using System.Diagnostics;
using System.Diagnostics.Metrics;
using EdgeApp.OpcPublisher.Messages;

namespace EdgeApp.OpcPublisher.Diagnostics;

/// <summary>
/// The publisher's activity source and instruments ("EdgeApp.OpcPublisher"), plus running totals the diagnostics
/// endpoint reports. Counters are tagged with the writer group where that is cheap.
/// </summary>
public sealed class PublisherMetrics
{
    public const string Name = "EdgeApp.OpcPublisher";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Counter<long> _valuesReceived;
    private readonly Counter<long> _heartbeats;
    private readonly Counter<long> _skipped;
    private readonly Counter<long> _messagesSpooled;
    private readonly Counter<long> _valuesSpooled;
    private readonly Counter<long> _messagesForwarded;
    private readonly Counter<long> _valuesForwarded;
    private readonly Counter<long> _gaps;
    private readonly Counter<long> _valuesDropped;
    private readonly Counter<long> _overflows;
    private readonly Counter<long> _connectFailures;
    private readonly Counter<long> _nodeFailures;
    private readonly Histogram<double> _forwardLatency;
    private long _totalReceived;
    private long _totalSpooled;
    private long _totalForwarded;
    private long _totalGaps;
    private long _totalDropped;
    private long _totalHeartbeats;

    public PublisherMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        _valuesReceived = meter.CreateCounter<long>("edgeapp.opcpublisher.values_received", "{value}", "Value changes received from OPC UA servers.");
        _heartbeats = meter.CreateCounter<long>("edgeapp.opcpublisher.heartbeats", "{value}", "Last values sent again by a node's heartbeat.");
        _skipped = meter.CreateCounter<long>("edgeapp.opcpublisher.skipped_first", "{value}", "First values not sent (SkipFirst).");
        _messagesSpooled = meter.CreateCounter<long>("edgeapp.opcpublisher.messages_spooled", "{message}", "Encoded messages made durable in the spool (counted as received).");
        _valuesSpooled = meter.CreateCounter<long>("edgeapp.opcpublisher.values_spooled", "{value}", "Values in the messages made durable in the spool.");
        _messagesForwarded = meter.CreateCounter<long>("edgeapp.opcpublisher.messages_forwarded", "{message}", "Messages the broker accepted.");
        _valuesForwarded = meter.CreateCounter<long>("edgeapp.opcpublisher.values_forwarded", "{value}", "Values in the messages the broker accepted.");
        _gaps = meter.CreateCounter<long>("edgeapp.opcpublisher.data_gaps", "{gap}", "Times data may have been missed (tag reason: MessagesLost, SubscriptionRecreated, ConsumerTooSlow).");
        _valuesDropped = meter.CreateCounter<long>("edgeapp.opcpublisher.values_dropped", "{value}", "Values that could never be sent (tag reason: RecordTooLarge, UnreadableRecord, WriterFailed); each drop is also a data gap.");
        _overflows = meter.CreateCounter<long>("edgeapp.opcpublisher.queue_overflows", "{value}", "Values with the overflow bit: the server's queue for the node dropped values.");
        _connectFailures = meter.CreateCounter<long>("edgeapp.opcpublisher.connect_failures", "{attempt}", "Failed attempts to connect to an endpoint.");
        _nodeFailures = meter.CreateCounter<long>("edgeapp.opcpublisher.node_failures", "{node}", "Nodes a server refused to monitor (tag status: the status code).");
        _forwardLatency = meter.CreateHistogram<double>("edgeapp.opcpublisher.forward_latency", "ms", "From receiving values to the broker accepting their message.");
    }

    public long TotalReceived => Interlocked.Read(ref _totalReceived);

    public long TotalSpooled => Interlocked.Read(ref _totalSpooled);

    public long TotalForwarded => Interlocked.Read(ref _totalForwarded);

    public long TotalGaps => Interlocked.Read(ref _totalGaps);

    public long TotalHeartbeats => Interlocked.Read(ref _totalHeartbeats);

    public long TotalDropped => Interlocked.Read(ref _totalDropped);

    public void Received(int values, string group)
    {
        Interlocked.Add(ref _totalReceived, values);
        _valuesReceived.Add(values, new KeyValuePair<string, object?>("writer_group", group));
    }

    public void Heartbeats(int values)
    {
        Interlocked.Add(ref _totalHeartbeats, values);
        _heartbeats.Add(values);
    }

    public void SkippedFirst(int values) => _skipped.Add(values);

    public void Overflow(int values) => _overflows.Add(values);

    public void Gap(string reason)
    {
        Interlocked.Increment(ref _totalGaps);
        _gaps.Add(1, new KeyValuePair<string, object?>("reason", reason));
    }

    /// <summary>Values lost for good (a record that can never be spooled or read, a writer that failed): counted and a gap.</summary>
    public void Dropped(long values, string reason)
    {
        Interlocked.Add(ref _totalDropped, values);
        _valuesDropped.Add(values, new KeyValuePair<string, object?>("reason", reason));
        Gap(reason);
    }

    public void ConnectFailed(string endpoint) => _connectFailures.Add(1, new KeyValuePair<string, object?>("endpoint", endpoint));

    public void NodeFailed(string status) => _nodeFailures.Add(1, new KeyValuePair<string, object?>("status", status));

    public void Spooled(IReadOnlyList<EncodedMessage> messages)
    {
        var values = 0;
        foreach (var message in messages)
        {
            values += message.Values;
        }

        Interlocked.Add(ref _totalSpooled, values);
        _messagesSpooled.Add(messages.Count);
        _valuesSpooled.Add(values);
    }

    public void Forwarded(int messages, int values, DateTimeOffset oldest, DateTimeOffset now)
    {
        Interlocked.Add(ref _totalForwarded, values);
        _messagesForwarded.Add(messages);
        _valuesForwarded.Add(values);
        _forwardLatency.Record(Math.Max(0, (now - oldest).TotalMilliseconds));
    }
}
