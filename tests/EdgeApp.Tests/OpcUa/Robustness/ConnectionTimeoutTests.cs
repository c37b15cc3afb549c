using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;
using EdgeApp.Tests.OpcUa.ClientServer;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>Connections that go silent, never renew their token or stop reading do not hold a slot forever.</summary>
public sealed class ConnectionTimeoutTests
{
    [Fact]
    public async Task ChannelWhoseTokenIsNotRenewed_IsClosedAfterLifetimePlus25Percent()
    {
        var limits = new ServerLimits { MinTokenLifetime = TimeSpan.FromMilliseconds(100), MaxTokenLifetime = TimeSpan.FromMilliseconds(400), IdleChannelTimeout = TimeSpan.FromHours(1) };
        await using var server = await TestServer.StartAsync(tcp: true, new ServerOptions { Limits = limits });
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.OpenAsync();
        var opened = DateTime.UtcNow;

        await ExpectClosedAsync(raw, StatusCodes.BadSecureChannelClosed);
        Assert.True(DateTime.UtcNow - opened >= TimeSpan.FromMilliseconds(400), "closed before the token's lifetime");
        await SubscriptionsWait.UntilAsync(() => server.Server.ConnectionCount == 0);
    }

    [Fact]
    public async Task SilentChannelWithoutSession_IsClosedAfterIdleTimeout()
    {
        var limits = new ServerLimits { IdleChannelTimeout = TimeSpan.FromMilliseconds(500) };
        await using var server = await TestServer.StartAsync(tcp: true, new ServerOptions { Limits = limits });
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.OpenAsync();

        await ExpectClosedAsync(raw, StatusCodes.BadTimeout);
        await SubscriptionsWait.UntilAsync(() => server.Server.ConnectionCount == 0);
    }

    [Fact]
    public async Task IdleChannelWithActivatedSession_StaysOpen()
    {
        var limits = new ServerLimits { IdleChannelTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = await TestServer.StartAsync(tcp: true, new ServerOptions { Limits = limits });
        await using var client = await server.ConnectAsync(new ClientOptions { KeepAliveInterval = TimeSpan.Zero, RequestTimeout = TimeSpan.FromSeconds(10) });

        // Several watchdog periods past the idle timeout, with no request at all.
        await Task.Delay(1500);
        Assert.True(client.IsConnected);
        Assert.Equal(1, server.Server.ConnectionCount);
        await client.ReadAsync([new ReadValueId { NodeId = server.Counter.NodeId }]);
    }

    [Fact]
    public async Task ClientThatStopsReading_IsDisconnectedAfterSendTimeout()
    {
        var limits = new ServerLimits { SendTimeout = TimeSpan.FromMilliseconds(500) };
        await using var server = await TestServer.StartAsync(tcp: false, new ServerOptions { Limits = limits });
        var big = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Big"), "Big", new byte[256 * 1024]);
        var toServer = new Pipe();
        var toClient = new Pipe();
        var gate = new GatedReader(toClient.Reader);
        _ = server.Server.AcceptAsync(new UacpConnection(toServer.Reader, toClient.Writer));
        await using var client = await OpcUaClient.ConnectAsync(new UacpConnection(gate, toServer.Writer), server.EndpointUrl,
            new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(30), KeepAliveInterval = TimeSpan.Zero });
        await client.ReadAsync([new ReadValueId { NodeId = big.NodeId }]);

        gate.Pause();
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var stuck = client.ReadAsync([new ReadValueId { NodeId = big.NodeId }], cancellationToken: stop.Token);

        // The server's receive loop answers inline; without a send timeout it would wait in the flush forever.
        await SubscriptionsWait.UntilAsync(() => server.Server.ConnectionCount == 0, TimeSpan.FromSeconds(15));
        gate.Resume();
        await stuck.ContinueWith(_ => { }, TaskScheduler.Default); // whatever the client makes of the closed pipe
    }

    [Fact]
    public async Task Sockets_HaveTcpKeepAliveEnabled()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
        using var accepted = await listener.AcceptSocketAsync();
        await using var connection = Connectors.FromSocket(socket);
        Assert.NotEqual(0, (int)socket.GetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive)!);
    }

    [Fact]
    public async Task SocketThatFailsDuringSetup_DoesNotStopTheAcceptLoop()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var failures = 0;
        server.Server.ConnectionFactory = socket => Interlocked.Increment(ref failures) == 1
            ? throw new SocketException((int)SocketError.ConnectionReset)
            : Connectors.FromSocket(socket);
        using (var first = new TcpClient())
        {
            await first.ConnectAsync(IPAddress.Loopback, server.Server.Port);
            await SubscriptionsWait.UntilAsync(() => Volatile.Read(ref failures) >= 1);
        }

        await using var client = await server.ConnectAsync();
        Assert.True(client.IsConnected);
    }

    private static async Task ExpectClosedAsync(RawConnection raw, StatusCode expected)
    {
        using var frame = await raw.ReceiveAsync(TimeSpan.FromSeconds(15));
        if (frame is not null)
        {
            Assert.Equal("ERR", MessageTypes.Name(frame.MessageType));
            var reader = new UaReader(frame.Body);
            Assert.Equal(expected, ErrorMessage.Decode(ref reader).Error);
        }
    }

    /// <summary>A pipe reader that can stop handing data to the client, like a peer that no longer reads its socket.</summary>
    private sealed class GatedReader(PipeReader inner) : PipeReader
    {
        private volatile TaskCompletionSource _open = Opened();

        public void Pause() => _open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public void Resume() => _open.TrySetResult();

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            await _open.Task.WaitAsync(cancellationToken);
            return await inner.ReadAsync(cancellationToken);
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!_open.Task.IsCompleted)
            {
                result = default;
                return false;
            }

            return inner.TryRead(out result);
        }

        public override void AdvanceTo(SequencePosition consumed) => inner.AdvanceTo(consumed);

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) => inner.AdvanceTo(consumed, examined);

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null)
        {
            Resume();
            inner.Complete(exception);
        }

        private static TaskCompletionSource Opened()
        {
            var open = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            open.SetResult();
            return open;
        }
    }
}

/// <summary>Bounded polling for a condition (no fixed sleeps before assertions).</summary>
internal static class SubscriptionsWait
{
    public static async Task UntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new Xunit.Sdk.XunitException("condition not met in time");
            }

            await Task.Delay(20);
        }
    }
}
