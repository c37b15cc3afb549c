using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.Tests.OpcUa.Subscriptions;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>TransferSubscriptions cannot be used to take over another client's subscriptions (Part 4 §5.13.7).</summary>
public sealed class TransferSecurityTests
{
    private static ClientOptions App(string uri) => new()
    {
        ApplicationUri = uri,
        RequestTimeout = TimeSpan.FromSeconds(10),
        ConnectTimeout = TimeSpan.FromSeconds(10),
        Reconnect = new ReconnectPolicy { Enabled = false },
    };

    private static async Task<TransferResult> TransferAsync(OpcUaClient client, uint id) =>
        Assert.Single((await client.SendAsync<TransferSubscriptionsResponse>(new TransferSubscriptionsRequest { SubscriptionIds = [id] })).Results);

    [Fact]
    public async Task AnonymousClientOfAnotherApplication_CannotTakeOverALiveSubscription()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var owner = await server.ConnectAsync(App("urn:owner"));
        await using var thief = await server.ConnectAsync(App("urn:thief"));
        var sub = await Raw.CreateSubscriptionAsync(owner, interval: 100);

        Assert.Equal(StatusCodes.BadUserAccessDenied, (await TransferAsync(thief, sub.SubscriptionId)).StatusCode);
        Assert.Equal(1, server.Server.Sessions.Sessions.Single(s => s.ClientApplicationUri == "urn:owner").SubscriptionCount);
    }

    [Fact]
    public async Task AnonymousClientOfAnotherApplication_CannotTakeOverAnOrphanedSubscription()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MinSessionTimeout = TimeSpan.FromMilliseconds(300) } };
        await using var server = await TestServer.StartAsync(tcp: false, options);
        var silent = App("urn:owner") with { SessionTimeout = TimeSpan.FromMilliseconds(300), KeepAliveInterval = TimeSpan.Zero };
        await using var owner = await server.ConnectAsync(silent);
        var sub = await Raw.CreateSubscriptionAsync(owner, interval: 100, keepAlive: 10, lifetime: 200);
        await SubscriptionServiceTests.WaitUntilAsync(() => server.Server.Sessions.Count == 0, TimeSpan.FromSeconds(5));

        await using var thief = await server.ConnectAsync(App("urn:thief"));
        Assert.Equal(StatusCodes.BadUserAccessDenied, (await TransferAsync(thief, sub.SubscriptionId)).StatusCode);

        await using var same = await server.ConnectAsync(App("urn:owner"));
        Assert.Equal(StatusCodes.Good, (await TransferAsync(same, sub.SubscriptionId)).StatusCode);
    }

    [Fact]
    public async Task Transfer_RespectsTheTargetSessionsSubscriptionLimit()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MaxSubscriptionsPerSession = 1 } };
        await using var server = await TestServer.StartAsync(tcp: false, options);
        await using var first = await server.ConnectAsync(App("urn:same"));
        await using var second = await server.ConnectAsync(App("urn:same"));
        var moved = await Raw.CreateSubscriptionAsync(first, interval: 100);
        await Raw.CreateSubscriptionAsync(second, interval: 100);

        Assert.Equal(StatusCodes.BadTooManySubscriptions, (await TransferAsync(second, moved.SubscriptionId)).StatusCode);
        Assert.Equal(StatusCodes.BadNothingToDo, (await TransferAsync(first, moved.SubscriptionId)).StatusCode);
    }

    [Fact]
    public async Task SubscriptionIds_AreNotSequential()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var ids = new List<uint>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await Raw.CreateSubscriptionAsync(client, interval: 1000)).SubscriptionId);
        }

        // Four random 32-bit ids forming a run 1, 2, 3, 4 (or any run of consecutive numbers) is practically impossible.
        Assert.False(ids.Zip(ids.Skip(1)).All(p => p.Second == p.First + 1), string.Join(",", ids));
        Assert.Equal(4, ids.Distinct().Count());
    }
}
