using BenchmarkDotNet.Attributes;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Server.Subscriptions;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// A PublishResponse carrying 1,000 DataChangeNotifications (Double values with both timestamps):
/// <list type="bullet">
/// <item><c>ServerPublish_SampleEncodeAck</c>: the server's real path per publishing cycle — 1,000 changed values
/// queued by the sampler, the NotificationMessage encoded straight from the queues into a pooled buffer, the response
/// encoded as the connection sends it, and the message acknowledged.</item>
/// <item><c>EncodePublishResponse</c>: the same message from objects (how a generic encoder would do it).</item>
/// <item><c>DecodePublishResponse</c>: the client side.</item>
/// </list>
/// </summary>
[MemoryDiagnoser]
public class PublishCodecBenchmarks
{
    private const int Count = 1000;
    private readonly ByteBuffer _buffer = new(1 << 20);
    private OpcUaServer _server = null!;
    private Subscription _subscription = null!;
    private ServerMonitoredItem[] _items = null!;
    private ServerSession _session = null!;
    private PublishResponse _objects = null!;
    private byte[] _encoded = null!;
    private double _round;

    [GlobalSetup]
    public void Setup()
    {
        _server = new OpcUaServer(new ServerOptions { EndpointUrl = "opc.tcp://127.0.0.1:0/" });
        var ns = _server.AddressSpace.RegisterNamespace("urn:bench");
        var folder = _server.AddressSpace.AddFolder(_server.AddressSpace.ObjectsFolder, new NodeId("B", ns), "B");
        _session = _server.Sessions.Create("bench", 60_000, 1);
        _session.IsActivated = true;

        // A long publishing interval: the benchmark drives publishing itself.
        _subscription = _server.Subscriptions.Create(_session, _server.Subscriptions.Revise(3_600_000, 0, 10, 0, 0), true);
        _items = new ServerMonitoredItem[Count];
        for (var i = 0; i < Count; i++)
        {
            VariableNode node = _server.AddressSpace.AddVariable(folder, new NodeId($"V{i}", ns), $"V{i}", 0.0);
            var item = new ServerMonitoredItem(_subscription, (uint)(i + 1), node, new ReadValueId { NodeId = node.NodeId })
            {
                ClientHandle = (uint)i,
                Mode = MonitoringMode.Reporting,
                Timestamps = TimestampsToReturn.Both,
            };
            _subscription.Items[item.Id] = item;
            _items[i] = item;
        }

        var now = DateTime.UtcNow;
        _objects = new PublishResponse
        {
            ResponseHeader = new ResponseHeader { Timestamp = now, RequestHandle = 1 },
            SubscriptionId = 1,
            AvailableSequenceNumbers = [1],
            NotificationMessage = new NotificationMessage
            {
                SequenceNumber = 1,
                PublishTime = now,
                NotificationData = [new ExtensionObject(new DataChangeNotification
                {
                    MonitoredItems = Enumerable.Range(0, Count).Select(i => new MonitoredItemNotification((uint)i, new DataValue(new Variant(i * 0.5), default, now, now))).ToArray(),
                })],
            },
        };
        _buffer.Reset();
        var writer = new UaWriter(_buffer);
        ServiceTypes.EncodeMessage(ref writer, _objects);
        _encoded = _buffer.WrittenSpan.ToArray();
    }

    [GlobalCleanup]
    public void Cleanup() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();

    [Benchmark]
    public int ServerPublish_SampleEncodeAck()
    {
        var now = DateTime.UtcNow;
        _round++;
        lock (_subscription.Gate)
        {
            foreach (var item in _items)
            {
                var value = new DataValue(new Variant(_round), default, now, now);
                _subscription.OnSample(item, in value);
            }
        }

        var response = _subscription.PublishNow(new PendingPublish(new RequestHeader { RequestHandle = 1 }, [], 1));
        _buffer.Reset();
        var writer = new UaWriter(_buffer);
        ServiceTypes.EncodeMessage(ref writer, response);
        ((IPooledResponse)response).ReleasePooled();
        _subscription.Acknowledge(response.AvailableSequenceNumbers[^1]);
        return _buffer.Length;
    }

    [Benchmark]
    public int EncodePublishResponse()
    {
        _buffer.Reset();
        var writer = new UaWriter(_buffer);
        ServiceTypes.EncodeMessage(ref writer, _objects);
        return _buffer.Length;
    }

    [Benchmark]
    public int DecodePublishResponse()
    {
        var reader = new UaReader(_encoded);
        var response = (PublishResponse)ServiceTypes.DecodeMessage(ref reader, out _);
        return ((DataChangeNotification)response.NotificationMessage.NotificationData[0].Body!).MonitoredItems.Length;
    }
}
