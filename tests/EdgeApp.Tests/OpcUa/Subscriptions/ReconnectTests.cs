using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.Subscriptions;

/// <summary>
/// Connection loss with subscriptions: a dropped connection (session re-activated, nothing lost), a silent one (the
/// keep-alive watchdog notices), a long outage (new session, subscriptions transferred) and a server restart
/// (subscriptions re-created, the gap reported).
/// </summary>
public sealed class ReconnectTests
{
    /// <summary>Reconnects within a few hundred milliseconds, so loss and restore tests stay short.</summary>
    internal static readonly ClientOptions FastReconnect = new()
    {
        RequestTimeout = TimeSpan.FromSeconds(5),
        ConnectTimeout = TimeSpan.FromSeconds(2),
        Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(50), MaxDelay = TimeSpan.FromMilliseconds(300) },
    };

    [Fact]
    public async Task DroppedConnection_ReactivatesSession_ValuesContinueWithoutGap()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var proxy = new TcpProxy(server.Server.Port);
        var variable = ClientSubscriptionTests.AddCounter(server, "Drop");
        await using var writer = new Writer(server.Server, variable);
        await using var client = await OpcUaClient.ConnectAsync(proxy.EndpointUrl, FastReconnect);
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var values = new Recorder(subscription);
        await subscription.AddItemAsync(new MonitoredItemOptions(variable.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10), QueueSize = 1000 });
        await ClientSubscriptionTests.WaitUntilAsync(() => values.Count > 10);

        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += kind => restored.TrySetResult(kind);
        proxy.DropAll();
        Assert.Equal(RestoreKind.SessionReactivated, await restored.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        var after = writer.Last;
        await ClientSubscriptionTests.WaitUntilAsync(() => values.Max > after + 5);

        // Queue of 1000 at 10 ms sampling: every value written meanwhile was queued on the server and delivered.
        Assert.Empty(values.Gaps);
        values.AssertContiguous();
        Assert.Equal(1, server.Server.Sessions.Count);
    }

    [Fact]
    public async Task SilentConnection_IsDetectedByTheKeepAliveWatchdog_AndRestored()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var proxy = new TcpProxy(server.Server.Port);
        var variable = ClientSubscriptionTests.AddCounter(server, "Silent");
        await using var writer = new Writer(server.Server, variable);
        await using var client = await OpcUaClient.ConnectAsync(proxy.EndpointUrl, FastReconnect with { KeepAliveInterval = TimeSpan.FromMinutes(5) });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50), KeepAliveCount = 4 });
        var values = new Recorder(subscription);
        await subscription.AddItemAsync(new MonitoredItemOptions(variable.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10), QueueSize = 1000 });
        await ClientSubscriptionTests.WaitUntilAsync(() => values.Count > 5);
        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += kind => restored.TrySetResult(kind);

        // Nothing arrives and nothing closes: only the missing keep-alives tell (2 x 4 x 50 ms + 2 s).
        var frozenAt = DateTime.UtcNow;
        proxy.Freeze();
        Assert.Equal(RestoreKind.SessionReactivated, await restored.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.InRange(DateTime.UtcNow - frozenAt, TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(8));
        var after = writer.Last;
        await ClientSubscriptionTests.WaitUntilAsync(() => values.Max > after + 5);
        Assert.Empty(values.Gaps);
        values.AssertContiguous();
    }

    [Fact]
    public async Task LongOutage_SessionExpired_SubscriptionsTransferredToANewSession()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MinSessionTimeout = TimeSpan.FromMilliseconds(300) } };
        await using var server = await TestServer.StartAsync(tcp: true, options);
        var variable = ClientSubscriptionTests.AddCounter(server, "Outage");
        await using var writer = new Writer(server.Server, variable);
        var reachable = true;
        var connection = await Connectors.ConnectTcpAsync(server.EndpointUrl, CancellationToken.None);
        await using var client = await OpcUaClient.ConnectAsync(connection, server.EndpointUrl, FastReconnect with { SessionTimeout = TimeSpan.FromMilliseconds(1000) }, async ct =>
        {
            if (!Volatile.Read(ref reachable))
            {
                throw new OpcUaException(StatusCodes.BadNotConnected, "network down");
            }

            return await Connectors.ConnectTcpAsync(server.EndpointUrl, ct);
        });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50), KeepAliveCount = 10, LifetimeCount = 400 });
        var values = new Recorder(subscription);
        await subscription.AddItemAsync(new MonitoredItemOptions(variable.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10), QueueSize = 1000 });
        await ClientSubscriptionTests.WaitUntilAsync(() => values.Count > 5);
        var oldSession = client.SessionId;
        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += kind => restored.TrySetResult(kind);

        Volatile.Write(ref reachable, false);
        await client.AbortConnectionAsync("test: network down");
        await SubscriptionServiceTests.WaitUntilAsync(() => server.Server.Sessions.Count == 0, TimeSpan.FromSeconds(5));
        Assert.Equal(1, server.Server.Subscriptions.Count); // kept without its session
        Volatile.Write(ref reachable, true);

        Assert.Equal(RestoreKind.NewSession, await restored.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.NotEqual(oldSession, client.SessionId);
        var after = writer.Last;
        await ClientSubscriptionTests.WaitUntilAsync(() => values.Max > after + 5);
        Assert.Empty(values.Gaps); // the transferred subscription kept queueing: nothing lost
        values.AssertContiguous();
    }

    [Fact]
    public async Task ServerRestart_SubscriptionRecreated_GapReported_ValuesResume()
    {
        var port = FreePort();
        var endpoint = $"opc.tcp://127.0.0.1:{port}/";
        var (first, firstVariable) = await StartServerAsync(endpoint);
        await using var client = await OpcUaClient.ConnectAsync(endpoint, FastReconnect);
        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += kind => restored.TrySetResult(kind);
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var values = new Recorder(subscription);
        var item = await subscription.AddItemAsync(new MonitoredItemOptions(firstVariable.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) });
        firstVariable.Value = 5;
        await ClientSubscriptionTests.WaitUntilAsync(() => values.Max == 5);
        var stoppedAt = DateTime.UtcNow;
        await first.DisposeAsync();

        await Task.Delay(300);
        var (second, secondVariable) = await StartServerAsync(endpoint);
        await using (second)
        {
            secondVariable.Value = 1000;
            Assert.Equal(RestoreKind.SubscriptionsRecreated, await restored.Task.WaitAsync(TimeSpan.FromSeconds(15)));
            await ClientSubscriptionTests.WaitUntilAsync(() => values.Max == 1000);
            secondVariable.Value = 1001;
            await ClientSubscriptionTests.WaitUntilAsync(() => values.Max == 1001);

            var gap = Assert.Single(values.Gaps);
            Assert.Equal(GapReason.SubscriptionRecreated, gap.Reason);
            Assert.InRange(gap.From, stoppedAt.AddSeconds(-2), stoppedAt);
            Assert.True(gap.To > stoppedAt);
            Assert.True(item.IsCreated);
            Assert.Equal(1, second.Subscriptions.Count);
        }
    }

    private static async Task<(OpcUaServer Server, EdgeApp.OpcUa.Server.AddressSpace.VariableNode<int> Variable)> StartServerAsync(string endpoint)
    {
        var server = new OpcUaServer(new ServerOptions { EndpointUrl = endpoint });
        var ns = server.AddressSpace.RegisterNamespace("urn:edgeapp:restart");
        var variable = server.AddressSpace.AddVariable(server.AddressSpace.ObjectsFolder, new NodeId("Value", ns), "Value", 0);
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await server.StartAsync();
                return (server, variable);
            }
            catch (SocketException) when (attempt < 20)
            {
                await Task.Delay(100); // the port may linger for a moment after the previous server
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Writes 1, 2, 3, ... each once the sampler has taken the previous one, until disposed.</summary>
    private sealed class Writer : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _task;
        private int _last;

        public Writer(OpcUaServer server, EdgeApp.OpcUa.Server.AddressSpace.VariableNode<int> variable)
        {
            _task = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    variable.Value = Interlocked.Increment(ref _last);

                    // Each value is sampled before the next is written, so the test sees every one even on a busy machine.
                    var deadline = DateTime.UtcNow.AddSeconds(5);
                    while (!SubscriptionServiceTests.SamplerCaughtUp(server, variable) && DateTime.UtcNow < deadline)
                    {
                        await Task.Delay(5);
                    }

                    await Task.Delay(20);
                }
            });
        }

        public int Last => Volatile.Read(ref _last);

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _task;
            _stop.Dispose();
        }
    }

    /// <summary>Collects the int values and gaps of one subscription.</summary>
    private sealed class Recorder
    {
        private readonly ConcurrentQueue<int> _values = new();

        public Recorder(Subscription subscription)
        {
            subscription.DataChanged += batch =>
            {
                foreach (var change in batch.Changes)
                {
                    _values.Enqueue(change.Value.Value.Get<int>());
                }
            };
            subscription.GapDetected += Gaps.Enqueue;
        }

        public ConcurrentQueue<DataGap> Gaps { get; } = new();

        public int Count => _values.Count;

        public int Max => _values.IsEmpty ? -1 : _values.Max();

        /// <summary>Every value from the first received to the last, each once, in order.</summary>
        public void AssertContiguous()
        {
            var values = _values.ToArray();
            var first = values[0];
            Assert.Equal(Enumerable.Range(first, values.Length), values);
        }
    }
}
