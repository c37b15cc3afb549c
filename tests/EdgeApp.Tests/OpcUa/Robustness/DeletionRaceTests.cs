using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.Tests.OpcUa.Subscriptions;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>Monitored item services racing with a subscription's deletion leave no items, timers or counts behind.</summary>
public sealed class DeletionRaceTests
{
    [Fact]
    public async Task CreateMonitoredItems_RacingWithDelete_LeaksNothing()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var manager = server.Server.Subscriptions;
        var session = server.Server.Sessions.Sessions.Single();
        for (var round = 0; round < 100; round++)
        {
            var created = await Raw.CreateSubscriptionAsync(client, interval: 1000);
            var subscription = manager.All.Single(s => s.Id == created.SubscriptionId);
            var request = new CreateMonitoredItemsRequest
            {
                SubscriptionId = created.SubscriptionId,
                ItemsToCreate = Enumerable.Range(0, 50).Select(i => Raw.Item(server.Counter.NodeId, (uint)i, sampling: 13 + round)).ToArray(),
            };
            request.RequestHeader.AuthenticationToken = session.AuthenticationToken;
            var context = new RequestContext { Server = server.Server, ChannelId = session.ChannelId, RequestId = 1 };
            using var start = new ManualResetEventSlim();
            var create = Task.Run(() =>
            {
                start.Wait();
                return server.Server.Dispatcher.DispatchAsync(context, request).AsTask();
            });
            var delete = Task.Run(() =>
            {
                start.Wait();
                manager.Delete(subscription);
            });
            start.Set();
            await Task.WhenAll(create, delete);
        }

        Assert.Equal(0, manager.Count);
        Assert.Equal(0, manager.MonitoredItemCount);
        Assert.Equal(0, manager.SamplingTimerCount);
    }

    [Fact]
    public async Task CloseSession_FromAnotherChannel_IsRefused()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var owner = await server.ConnectAsync();
        await using var other = await server.ConnectAsync();
        var request = new CloseSessionRequest { DeleteSubscriptions = true };
        request.RequestHeader.AuthenticationToken = owner.AuthenticationToken;
        var refused = await Assert.ThrowsAsync<OpcUaException>(() => other.SendAsync<CloseSessionResponse>(request));
        Assert.Equal(StatusCodes.BadSecureChannelIdInvalid, refused.StatusCode);
        await owner.ReadAsync(server.Counter.NodeId);
        Assert.Equal(2, server.Server.Sessions.Count);
    }

    [Fact]
    public async Task DistinctSamplingIntervals_ShareAFewTimers()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 1000);
        var response = await client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
        {
            SubscriptionId = sub.SubscriptionId,
            ItemsToCreate = Enumerable.Range(11, 500).Select(i => Raw.Item(server.Counter.NodeId, (uint)i, sampling: i)).ToArray(),
        });
        Assert.All(response.Results, r => Assert.True(r.StatusCode.IsGood));
        Assert.All(response.Results.Zip(Enumerable.Range(11, 500)), p => Assert.InRange(p.First.RevisedSamplingInterval, p.Second, p.Second + 50));
        Assert.InRange(server.Server.Subscriptions.SamplingTimerCount, 1, 20);
        Assert.Equal(250, (await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 1, sampling: 250)).RevisedSamplingInterval);
        Assert.Equal(1000, (await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 2, sampling: 999.5)).RevisedSamplingInterval);
    }
}
