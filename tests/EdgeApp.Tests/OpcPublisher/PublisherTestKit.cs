using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using EdgeApp.OpcPublisher;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Engine;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.OpcPublisher.Output;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeApp.Tests.OpcPublisher;

/// <summary>An OPC UA server over loopback TCP with a few variables; it can be stopped and started again on its port.</summary>
public sealed class TestUaServer : IAsyncDisposable
{
    public const string Namespace = "urn:edgeapp:tests:publisher";

    private OpcUaServer? _server;

    private TestUaServer(int port) => Port = port;

    public int Port { get; }

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}/";

    public OpcUaServer Server => _server ?? throw new InvalidOperationException("The server is stopped.");

    public VariableNode<uint> Counter { get; private set; } = null!;

    public VariableNode<double> Level { get; private set; } = null!;

    public VariableNode<int> Constant { get; private set; } = null!;

    public IReadOnlyList<VariableNode<uint>> Many { get; private set; } = [];

    public static async Task<TestUaServer> StartAsync(int manyCount = 5, int? port = null)
    {
        var server = new TestUaServer(port ?? RedisServer.FreePort());
        await server.StartAgainAsync(manyCount);
        return server;
    }

    /// <summary>A fresh server on the same port (it remembers no sessions or subscriptions, as after a restart).</summary>
    public async Task StartAgainAsync(int manyCount = 5)
    {
        var server = new OpcUaServer(new ServerOptions { EndpointUrl = EndpointUrl });
        var space = server.AddressSpace;
        var ns = space.RegisterNamespace(Namespace);
        var folder = space.AddFolder(space.ObjectsFolder, new NodeId("Test", ns), "Test");
        Counter = space.AddVariable(folder, new NodeId("Counter", ns), "Counter", Counter?.Value ?? 0u);
        Level = space.AddVariable(folder, new NodeId("Level", ns), "Level", 0.0);
        Constant = space.AddVariable(folder, new NodeId("Constant", ns), "Constant", 42);
        Many = Enumerable.Range(1, manyCount).Select(i => space.AddVariable(folder, new NodeId($"Many{i}", ns), $"Many{i}", 0u)).ToList();
        await server.StartAsync();
        _server = server;
    }

    public async Task StopAsync()
    {
        if (_server is { } server)
        {
            _server = null;
            await server.DisposeAsync();
        }
    }

    public static string Id(string name) => $"nsu={Namespace};s={name}";

    public ValueTask DisposeAsync() => new(StopAsync());
}

/// <summary>Keeps every message the writers hand over, in order.</summary>
public sealed class CapturingOutbox : IMessageOutbox
{
    private readonly ConcurrentQueue<EncodedMessage> _messages = new();

    private int _failures;

    public IReadOnlyList<EncodedMessage> Messages => [.. _messages];

    /// <summary>The next <paramref name="count"/> hand-overs throw, as a broken outbox would.</summary>
    public void FailNext(int count) => Interlocked.Exchange(ref _failures, count);

    public ValueTask AddAsync(IReadOnlyList<EncodedMessage> messages, CancellationToken cancellationToken)
    {
        if (Interlocked.Decrement(ref _failures) >= 0)
        {
            throw new InvalidOperationException("The outbox is broken.");
        }

        foreach (var message in messages)
        {
            _messages.Enqueue(message);
        }

        return ValueTask.CompletedTask;
    }

    /// <summary>Every data set message of every PubSub message, in order.</summary>
    public List<JsonElement> DataSetMessages() =>
        Messages.Where(m => m.Type == MessageTypes.PubSub)
            .SelectMany(m => JsonDocument.Parse(m.Data).RootElement.GetProperty("Messages").EnumerateArray().Select(e => e.Clone()))
            .ToList();

    /// <summary>Values of one payload field across all PubSub messages, in order.</summary>
    public List<JsonElement> Field(string name) =>
        DataSetMessages().Where(m => m.GetProperty("Payload").TryGetProperty(name, out _)).Select(m => m.GetProperty("Payload").GetProperty(name).Clone()).ToList();

    /// <summary>Every sample of every Samples message, in order.</summary>
    public List<JsonElement> Samples() =>
        Messages.Where(m => m.Type == MessageTypes.Samples).SelectMany(m =>
        {
            var root = JsonDocument.Parse(m.Data).RootElement.Clone();
            return root.ValueKind == JsonValueKind.Array ? root.EnumerateArray().Select(e => e.Clone()).ToList() : [root];
        }).ToList();
}

/// <summary>An engine with a capturing outbox, fed entries directly.</summary>
public sealed class TestPublisher : IAsyncDisposable
{
    private readonly TestMeterFactory _meters = new();

    public TestPublisher(OpcPublisherOptions? options = null)
    {
        Options = options ?? new OpcPublisherOptions { InitialRetryDelayMs = 100, MaxRetryDelayMs = 500, RetryFailedNodesSeconds = 1, PublisherId = "test" };
        Metrics = new PublisherMetrics(_meters);
        Engine = new PublisherEngine(Microsoft.Extensions.Options.Options.Create(Options), Outbox, Metrics, TimeProvider.System, NullLoggerFactory.Instance);
    }

    public OpcPublisherOptions Options { get; }

    public CapturingOutbox Outbox { get; } = new();

    public PublisherMetrics Metrics { get; }

    public PublisherEngine Engine { get; }

    public Task ApplyAsync(string json) =>
        Engine.ApplyAsync(PublishedNodesParser.Parse(Encoding.UTF8.GetBytes(json), "test.json").Entries, CancellationToken.None);

    internal EndpointSession Session(string endpointUrl) => Engine.Sessions.Single(s => s.Identity.EndpointUrl == endpointUrl);

    internal IEnumerable<NodeState> Nodes => Engine.Sessions.SelectMany(s => s.Writers).SelectMany(w => w.Nodes);

    public async ValueTask DisposeAsync()
    {
        await Engine.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
        _meters.Dispose();
    }
}
