using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>One channel cannot take every session slot with sessions it never activates.</summary>
public sealed class SessionSlotTests
{
    private static readonly ClientOptions Bare = new() { CreateSession = false, RequestTimeout = TimeSpan.FromSeconds(10), ConnectTimeout = TimeSpan.FromSeconds(10) };

    private static Task<CreateSessionResponse> CreateSessionAsync(OpcUaClient client) =>
        client.SendAsync<CreateSessionResponse>(new CreateSessionRequest { SessionName = "s", RequestedSessionTimeout = 3_600_000, EndpointUrl = client.EndpointUrl });

    [Fact]
    public async Task SessionsPerChannel_AreCapped()
    {
        var limits = new ServerLimits { MaxSessionsPerChannel = 3 };
        await using var server = await TestServer.StartAsync(tcp: false, new ServerOptions { Limits = limits });
        await using var greedy = await server.ConnectAsync(Bare);
        for (var i = 0; i < 3; i++)
        {
            await CreateSessionAsync(greedy);
        }

        var refused = await Assert.ThrowsAsync<OpcUaException>(() => CreateSessionAsync(greedy));
        Assert.Equal(StatusCodes.BadTooManySessions, refused.StatusCode);

        // Another client still gets a session.
        await using var other = await server.ConnectAsync();
        Assert.Equal(4, server.Server.Sessions.Count);
    }

    [Fact]
    public async Task SessionNeverActivated_IsClosedAfterTheShortTimeout()
    {
        var limits = new ServerLimits { UnactivatedSessionTimeout = TimeSpan.FromMilliseconds(300) };
        await using var server = await TestServer.StartAsync(tcp: false, new ServerOptions { Limits = limits });
        await using var client = await server.ConnectAsync(Bare);
        var created = await CreateSessionAsync(client);
        Assert.Equal(3_600_000, created.RevisedSessionTimeout);
        Assert.Equal(1, server.Server.Sessions.Count);

        await SubscriptionsWait.UntilAsync(() => server.Server.Sessions.Count == 0);

        // An activated session keeps its own timeout.
        await using var normal = await server.ConnectAsync();
        await Task.Delay(800);
        Assert.Equal(1, server.Server.Sessions.Count);
        await normal.ReadAsync([new ReadValueId { NodeId = server.Counter.NodeId }]);
    }

    [Fact]
    public async Task SessionsNeverActivated_AreClosedWithTheirChannel()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var client = await server.ConnectAsync(Bare);
        await CreateSessionAsync(client);
        await CreateSessionAsync(client);
        Assert.Equal(2, server.Server.Sessions.Count);

        await client.DisposeAsync();
        await SubscriptionsWait.UntilAsync(() => server.Server.Sessions.Count == 0);
    }
}
