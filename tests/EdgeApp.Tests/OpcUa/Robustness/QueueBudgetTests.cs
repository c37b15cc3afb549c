using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.Tests.OpcUa.Subscriptions;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>Monitored item queues cannot grow the server's memory without bound (clients that never Publish).</summary>
public sealed class QueueBudgetTests
{
    [Fact]
    public async Task QueueSizes_AreRevisedSoTheSubscriptionFitsItsBudget()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MaxQueuedValuesPerSubscription = 500 } };
        await using var server = await TestServer.StartAsync(tcp: false, options);
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 1000);
        var first = await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 1, queueSize: 400);
        var second = await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 2, queueSize: 400);
        var third = await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 3, queueSize: 400);
        Assert.Equal(400u, first.RevisedQueueSize);
        Assert.Equal(100u, second.RevisedQueueSize);
        Assert.Equal(1u, third.RevisedQueueSize);

        // Shrinking one makes room for another.
        var modified = await client.SendAsync<ModifyMonitoredItemsResponse>(new ModifyMonitoredItemsRequest
        {
            SubscriptionId = sub.SubscriptionId,
            ItemsToModify = [new MonitoredItemModifyRequest { MonitoredItemId = first.MonitoredItemId, RequestedParameters = new MonitoringParameters { ClientHandle = 1, SamplingInterval = 10, QueueSize = 100 } }],
        });
        Assert.Equal(100u, Assert.Single(modified.Results).RevisedQueueSize);
        var fourth = await Raw.MonitorAsync(client, sub.SubscriptionId, server.Counter.NodeId, 4, queueSize: 400);
        Assert.Equal(299u, fourth.RevisedQueueSize);
    }

    [Fact]
    public async Task QueuesOverTheServerBudget_OverflowInsteadOfGrowing()
    {
        const int Budget = 300;
        var options = new ServerOptions { Limits = new ServerLimits { MaxQueuedValues = Budget } };
        await using var server = await TestServer.StartAsync(tcp: false, options);
        var samples = 0;
        var nodes = Enumerable.Range(0, 4).Select(i =>
        {
            var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id($"Fast{i}"), $"Fast{i}", 0);
            variable.ValueSource = () => new DataValue(new Variant(Interlocked.Increment(ref samples)), StatusCodes.Good, DateTime.UtcNow, DateTime.UtcNow);
            return variable.NodeId;
        }).ToArray();
        await using var client = await server.ConnectAsync();
        var sub = await Raw.CreateSubscriptionAsync(client, interval: 100, keepAlive: 10, lifetime: 3000);
        for (var i = 0; i < nodes.Length; i++)
        {
            Assert.Equal(1000u, (await Raw.MonitorAsync(client, sub.SubscriptionId, nodes[i], (uint)i, sampling: 10, queueSize: 1000)).RevisedQueueSize);
        }

        // No Publish: the queues fill. Far more samples than the budget.
        await SubscriptionsWait.UntilAsync(() => Volatile.Read(ref samples) > 4 * Budget, TimeSpan.FromSeconds(30));
        Assert.InRange(server.Server.Subscriptions.QueuedValueSlots, 4, Budget);

        var values = new List<MonitoredItemNotification>();
        var acks = Array.Empty<SubscriptionAcknowledgement>();
        for (var i = 0; i < 10; i++)
        {
            var response = await Raw.PublishAsync(client, acks);
            var batch = Raw.Values(response);
            acks = response.NotificationMessage.NotificationData.Length > 0 ? [new SubscriptionAcknowledgement(sub.SubscriptionId, response.NotificationMessage.SequenceNumber)] : [];
            values.AddRange(batch);
            if (!response.MoreNotifications)
            {
                break;
            }
        }

        Assert.InRange(values.Count, 4, Budget + 4 * 20); // what was queued, plus what the sampler added meanwhile
        Assert.Contains(values, v => (v.Value.StatusCode.Code & StatusCodes.OverflowBits) != 0);
    }
}
