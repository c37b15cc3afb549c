using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Transport;
using EdgeApp.Tests.OpcUa.Subscriptions;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>Automatic reconnection does not stop for good, whatever the application's handlers or connect delegate do.</summary>
public sealed class ReconnectRobustnessTests
{
    private static readonly ClientOptions FastReconnect = ReconnectTests.FastReconnect;

    [Fact]
    public async Task ThrowingConnectionLostHandler_DoesNotStopTheReconnect()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var proxy = new TcpProxy(server.Server.Port);
        await using var client = await OpcUaClient.ConnectAsync(proxy.EndpointUrl, FastReconnect);
        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionLost += _ => throw new InvalidOperationException("application bug");
        client.Reconnected += kind => restored.TrySetResult(kind);

        proxy.DropAll();
        Assert.Equal(RestoreKind.SessionReactivated, await restored.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        await client.ReadAsync(server.Counter.NodeId);
    }

    [Fact]
    public async Task ConnectDelegateThrowingAnyException_IsRetried()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var calls = 0;
        var connection = await Connectors.ConnectTcpAsync(server.EndpointUrl, CancellationToken.None);
        await using var client = await OpcUaClient.ConnectAsync(connection, server.EndpointUrl, FastReconnect, async ct =>
        {
            if (Interlocked.Increment(ref calls) == 1)
            {
                throw new InvalidOperationException("resolver not ready");
            }

            return await Connectors.ConnectTcpAsync(server.EndpointUrl, ct);
        });
        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += kind => restored.TrySetResult(kind);

        await client.AbortConnectionAsync("test");
        Assert.Equal(RestoreKind.SessionReactivated, await restored.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(Volatile.Read(ref calls) >= 2);
    }

    [Fact]
    public async Task ConnectionLostInsideTheReconnectedHandler_IsReconnectedAgain()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var proxy = new TcpProxy(server.Server.Port);
        await using var client = await OpcUaClient.ConnectAsync(proxy.EndpointUrl, FastReconnect);
        using var lostAgain = new ManualResetEventSlim();
        var reconnects = 0;
        var second = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.ConnectionLost += _ =>
        {
            if (Volatile.Read(ref reconnects) == 1)
            {
                lostAgain.Set();
            }
        };
        client.Reconnected += _ =>
        {
            if (Interlocked.Increment(ref reconnects) == 1)
            {
                // The restored connection breaks before the handler returns.
                proxy.DropAll();
                lostAgain.Wait(TimeSpan.FromSeconds(10));
            }
            else
            {
                second.TrySetResult();
            }
        };

        proxy.DropAll();
        await second.Task.WaitAsync(TimeSpan.FromSeconds(20));
        await SubscriptionsWait.UntilAsync(() => client.IsConnected);
        await client.ReadAsync(server.Counter.NodeId);
    }

    [Fact]
    public async Task WhileReconnecting_NoPublishIsSent_AndTheRestoreIsNotAborted()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MinSessionTimeout = TimeSpan.FromMilliseconds(300) } };
        await using var server = await TestServer.StartAsync(tcp: true, options);
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
        await subscription.AddItemAsync(new MonitoredItemOptions(server.Counter.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) });
        var lost = 0;
        var pausedWhenLost = true;
        client.ConnectionLost += _ =>
        {
            Interlocked.Increment(ref lost);
            pausedWhenLost &= client.Engine.IsPaused;
        };
        var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Reconnected += kind => restored.TrySetResult(kind);

        Volatile.Write(ref reachable, false);
        await client.AbortConnectionAsync("test: network down");
        await SubscriptionServiceTests.WaitUntilAsync(() => server.Server.Sessions.Count == 0, TimeSpan.FromSeconds(5));
        Volatile.Write(ref reachable, true);

        Assert.Equal(RestoreKind.NewSession, await restored.Task.WaitAsync(TimeSpan.FromSeconds(15)));
        Assert.True(pausedWhenLost);
        Assert.False(client.Engine.IsPaused);
        Assert.Equal(1, Volatile.Read(ref lost)); // the restore was not broken by a Publish carrying the old session
        var values = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        subscription.DataChanged += batch =>
        {
            if (batch.Changes.Any(c => c.Value.Value.Get<int>() == 77))
            {
                values.TrySetResult();
            }
        };
        server.Counter.Value = 77;
        await values.Task.WaitAsync(TimeSpan.FromSeconds(10));
    }
}
