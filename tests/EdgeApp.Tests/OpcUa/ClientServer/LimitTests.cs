using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.ClientServer;

/// <summary>Configured limits are enforced with the status codes Part 4 and Part 6 prescribe.</summary>
public sealed class LimitTests
{
    [Fact]
    public async Task TooManyOperations_AndNothingToDo()
    {
        await using var server = await TestServer.StartAsync(false, new ServerOptions { Limits = new ServerLimits { MaxNodesPerRead = 5 } });
        await using var client = await server.ConnectAsync();
        var tooMany = await Assert.ThrowsAsync<OpcUaException>(() => client.ReadAsync(Enumerable.Range(0, 6).Select(_ => new ReadValueId { NodeId = server.Id("Int32") }).ToArray()));
        Assert.Equal(StatusCodes.BadTooManyOperations, tooMany.StatusCode);
        var nothing = await Assert.ThrowsAsync<OpcUaException>(() => client.ReadAsync([]));
        Assert.Equal(StatusCodes.BadNothingToDo, nothing.StatusCode);
        Assert.Equal(5, (await client.ReadAsync(Enumerable.Range(0, 5).Select(_ => new ReadValueId { NodeId = server.Id("Int32") }).ToArray())).Length);
    }

    [Fact]
    public async Task TooManySessions_IsRefused()
    {
        await using var server = await TestServer.StartAsync(false, new ServerOptions { Limits = new ServerLimits { MaxSessions = 1 } });
        await using var first = await server.ConnectAsync();
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => server.ConnectAsync());
        Assert.Equal(StatusCodes.BadTooManySessions, ex.StatusCode);
    }

    [Fact]
    public async Task SilentSession_TimesOut()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MinSessionTimeout = TimeSpan.FromMilliseconds(100) } };
        await using var server = await TestServer.StartAsync(false, options);
        await using var client = await server.ConnectAsync(new ClientOptions { SessionTimeout = TimeSpan.FromMilliseconds(300), KeepAliveInterval = TimeSpan.Zero });
        Assert.Equal(TimeSpan.FromMilliseconds(300), client.RevisedSessionTimeout);
        Assert.Equal(1, server.Server.Sessions.Count);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (server.Server.Sessions.Count > 0 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(50);
        }

        Assert.Equal(0, server.Server.Sessions.Count);
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.ReadAsync(server.Id("Int32")));
        Assert.Equal(StatusCodes.BadSessionIdInvalid, ex.StatusCode);
    }

    [Fact]
    public async Task KeepAlive_KeepsAnIdleSessionOpen()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MinSessionTimeout = TimeSpan.FromMilliseconds(100) } };
        await using var server = await TestServer.StartAsync(false, options);
        // Idle for 2.5 session timeouts: only keep-alives can hold the session (margins for a cold, loaded machine).
        await using var client = await server.ConnectAsync(new ClientOptions { SessionTimeout = TimeSpan.FromMilliseconds(2000), KeepAliveInterval = TimeSpan.FromMilliseconds(300) });
        await Task.Delay(5000);
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }

    [Fact]
    public async Task RequestLargerThanTheServerAccepts_FailsLocally_AndTheConnectionSurvives()
    {
        var options = new ServerOptions { Limits = new ServerLimits { Transport = new TransportLimits { MaxMessageSize = 32 * 1024 } } };
        await using var server = await TestServer.StartAsync(true, options);
        await using var client = await server.ConnectAsync();
        var huge = Enumerable.Range(0, 2000).Select(i => new ReadValueId { NodeId = new NodeId($"a-long-node-identifier-{i}", 2) }).ToArray();
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.ReadAsync(huge));
        Assert.Equal(StatusCodes.BadRequestTooLarge, ex.StatusCode);
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }

    [Fact]
    public async Task ResponseLargerThanTheClientAccepts_IsAServiceFault()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var big = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Big"), "Big", new double[20_000]);
        await using var client = await server.ConnectAsync(new ClientOptions { Transport = new TransportLimits { MaxMessageSize = 64 * 1024 } });
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.ReadAsync(big.NodeId));
        Assert.Equal(StatusCodes.BadResponseTooLarge, ex.StatusCode);
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }

    [Fact]
    public async Task LargeResponse_IsChunked_WithinTheClientsLimits()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var big = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Big"), "Big", Enumerable.Range(0, 100_000).Select(i => (double)i).ToArray());
        await using var client = await server.ConnectAsync(new ClientOptions { Transport = new TransportLimits { ReceiveBufferSize = 8192, SendBufferSize = 8192 } });
        var value = await client.ReadAsync(big.NodeId);
        Assert.Equal(99_999.0, value.Value.Get<double[]>()[^1]);
    }

    [Fact]
    public async Task RequestTimeout_SurfacesAsBadTimeout()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var gate = new TaskCompletionSource();
        server.Server.AddressSpace.AddMethod(server.TestFolder, server.Id("Slow"), "Slow", async (_, _) =>
        {
            await gate.Task;
            return [];
        });
        await using var client = await server.ConnectAsync(new ClientOptions { RequestTimeout = TimeSpan.FromMilliseconds(300) });
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.CallAsync(server.Id("Test"), server.Id("Slow")));
        Assert.Equal(StatusCodes.BadTimeout, ex.StatusCode);
        gate.SetResult();
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }

    [Fact]
    public async Task Cancellation_IsHonoured()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var gate = new TaskCompletionSource();
        server.Server.AddressSpace.AddMethod(server.TestFolder, server.Id("Slow"), "Slow", async (_, _) =>
        {
            await gate.Task;
            return [];
        });
        await using var client = await server.ConnectAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.CallAsync([new CallMethodRequest { ObjectId = server.Id("Test"), MethodId = server.Id("Slow") }], cts.Token));
        gate.SetResult();
    }

    [Fact]
    public async Task ConnectToNothing_FailsFast()
    {
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => OpcUaClient.ConnectAsync("opc.tcp://127.0.0.1:1/", new ClientOptions { ConnectTimeout = TimeSpan.FromSeconds(5) }));
        Assert.True(ex.StatusCode == StatusCodes.BadNotConnected || ex.StatusCode == StatusCodes.BadTimeout, ex.ToString());
        var invalid = await Assert.ThrowsAsync<OpcUaException>(() => OpcUaClient.ConnectAsync("http://x/"));
        Assert.Equal(StatusCodes.BadTcpEndpointUrlInvalid, invalid.StatusCode);
    }
}
