using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;
using EdgeApp.Tests.OpcUa.Subscriptions;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>A subscription with a backlog does not starve the session's other subscriptions of keep-alives or kill them.</summary>
public sealed class PublishFairnessTests
{
    [Fact]
    public async Task SubscriptionWithBacklog_LeavesRoomForOthersKeepAlives_AndTheirLifetime()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var samples = 0;
        var nodes = Enumerable.Range(0, 4).Select(i =>
        {
            var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id($"Busy{i}"), $"Busy{i}", 0);
            variable.ValueSource = () => new DataValue(new Variant(Interlocked.Increment(ref samples)), StatusCodes.Good, DateTime.UtcNow, DateTime.UtcNow);
            return variable.NodeId;
        }).ToArray();
        await using var client = await server.ConnectAsync();

        // Busy: high priority, one notification per message, always more queued than a Publish takes.
        var busy = await client.SendAsync<CreateSubscriptionResponse>(new CreateSubscriptionRequest
        {
            RequestedPublishingInterval = 50, RequestedMaxKeepAliveCount = 10, RequestedLifetimeCount = 1000, MaxNotificationsPerPublish = 1, Priority = 200, PublishingEnabled = true,
        });
        for (var i = 0; i < nodes.Length; i++)
        {
            await Raw.MonitorAsync(client, busy.SubscriptionId, nodes[i], (uint)i, sampling: 10, queueSize: 1000);
        }

        // Quiet: nothing changes, keep-alive every 3 x 50 ms, lifetime 60 cycles (3 s).
        var quiet = await Raw.CreateSubscriptionAsync(client, interval: 50, keepAlive: 3, lifetime: 60);
        await SubscriptionsWait.UntilAsync(() => Volatile.Read(ref samples) > 100);

        var quietAnswers = 0;
        var acks = new List<SubscriptionAcknowledgement>();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (quietAnswers < 3 && DateTime.UtcNow < deadline)
        {
            var response = await Raw.PublishAsync(client, [.. acks]);
            acks.Clear();
            if (response.SubscriptionId == quiet.SubscriptionId)
            {
                Assert.Empty(response.NotificationMessage.NotificationData); // a keep-alive, not a timeout notice
                quietAnswers++;
            }
            else if (response.NotificationMessage.NotificationData.Length > 0)
            {
                acks.Add(new SubscriptionAcknowledgement(response.SubscriptionId, response.NotificationMessage.SequenceNumber));
            }

            await Task.Delay(10);
        }

        Assert.Equal(3, quietAnswers);

        // Publish requests answered by the busy one keep the quiet one alive well past its lifetime.
        var until = DateTime.UtcNow.AddSeconds(4);
        while (DateTime.UtcNow < until)
        {
            var response = await Raw.PublishAsync(client, [.. acks]);
            acks.Clear();
            Assert.False(response.SubscriptionId == quiet.SubscriptionId && response.NotificationMessage.NotificationData.Length > 0, "the quiet subscription timed out");
            if (response.NotificationMessage.NotificationData.Length > 0)
            {
                acks.Add(new SubscriptionAcknowledgement(response.SubscriptionId, response.NotificationMessage.SequenceNumber));
            }

            await Task.Delay(20);
        }

        Assert.Equal(2, server.Server.Subscriptions.Count);
    }
}
