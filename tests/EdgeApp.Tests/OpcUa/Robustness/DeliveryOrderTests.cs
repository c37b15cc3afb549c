using System.Collections.Concurrent;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>
/// The client delivers messages in sequence-number order even when Publish responses arrive out of order, reports a
/// gap per lost run (only for messages the server no longer has), and emits everything in order on its dispatch task.
/// </summary>
public sealed class DeliveryOrderTests
{
    private sealed class Harness : IAsyncDisposable
    {
        private Harness(TestServer server, OpcUaClient client, Subscription subscription, MonitoredItem item)
        {
            Server = server;
            Client = client;
            Subscription = subscription;
            Item = item;
            subscription.DataChanged += batch => Events.Enqueue(batch);
            subscription.GapDetected += gap => Events.Enqueue(gap);
        }

        public TestServer Server { get; }

        public OpcUaClient Client { get; }

        public Subscription Subscription { get; }

        public MonitoredItem Item { get; }

        public ConcurrentQueue<SubscriptionNotification> Events { get; } = new();

        public int[] Values => Events.OfType<DataChangeBatch>().SelectMany(b => b.Changes).Select(c => c.Value.Value.Get<int>()).ToArray();

        public static async Task<Harness> StartAsync()
        {
            var server = await TestServer.StartAsync(tcp: false);
            var client = await server.ConnectAsync();

            // Nothing real is published during the test (first keep-alive after 10 s): the messages are fed by hand.
            var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromSeconds(10), KeepAliveCount = 3 });
            var item = await subscription.AddItemAsync(new MonitoredItemOptions(server.Counter.NodeId) { MonitoringMode = MonitoringMode.Disabled });
            return new Harness(server, client, subscription, item);
        }

        public NotificationMessage Message(uint sequence, int value, DateTime? publishTime = null) => new()
        {
            SequenceNumber = sequence,
            PublishTime = publishTime ?? DateTime.UtcNow,
            NotificationData = [new ExtensionObject(new DataChangeNotification
            {
                MonitoredItems = [new MonitoredItemNotification { ClientHandle = Item.ClientHandle, Value = new DataValue(new Variant(value)) }],
            })],
        };

        public async ValueTask DisposeAsync()
        {
            await Subscription.DisposeAsync();
            await Client.DisposeAsync();
            await Server.DisposeAsync();
        }
    }

    [Fact]
    public async Task MessagesArrivingOutOfOrder_AreDeliveredInOrder_WithoutRepublishOrGap()
    {
        await using var h = await Harness.StartAsync();
        await h.Subscription.ProcessAsync(h.Message(1, 1), CancellationToken.None);
        await h.Subscription.ProcessAsync(h.Message(3, 3), CancellationToken.None);
        await h.Subscription.ProcessAsync(h.Message(2, 2), CancellationToken.None);

        Assert.Equal([1, 2, 3], h.Values);
        Assert.Empty(h.Events.OfType<DataGap>());
    }

    [Fact]
    public async Task LostRun_IsOneGap_BetweenThePublishTimesOfTheMessagesAroundIt()
    {
        await using var h = await Harness.StartAsync();
        var t1 = new DateTime(2026, 1, 1, 0, 0, 1, DateTimeKind.Utc);
        var t4 = new DateTime(2026, 1, 1, 0, 0, 4, DateTimeKind.Utc);
        await h.Subscription.ProcessAsync(h.Message(1, 1, t1), CancellationToken.None);
        await h.Subscription.ProcessAsync(h.Message(4, 4, t4), CancellationToken.None);
        Assert.Equal([1], h.Values); // held: 2 and 3 may still come

        await Task.Delay(Subscription.ReorderGrace + TimeSpan.FromMilliseconds(50));
        await h.Subscription.OnIdleAsync(CancellationToken.None);

        // The server never sent 2 and 3 (Bad_MessageNotAvailable): lost, reported once, before 4.
        var events = h.Events.ToArray();
        Assert.Equal(3, events.Length);
        var gap = Assert.IsType<DataGap>(events[1]);
        Assert.Equal(GapReason.MessagesLost, gap.Reason);
        Assert.Equal((2u, 3u), (gap.FirstLost, gap.LastLost));
        Assert.Equal([2u, 3u], gap.LostSequenceNumbers);
        Assert.Equal((t1, t4), (gap.From, gap.To));
        Assert.Equal([1, 4], h.Values);
    }

    [Fact]
    public async Task LargeJump_IsOneRange_NotAnEntryPerMissingNumber()
    {
        await using var h = await Harness.StartAsync();
        await h.Subscription.ProcessAsync(h.Message(1, 1), CancellationToken.None);
        await h.Subscription.ProcessAsync(h.Message(5_000_000, 2), CancellationToken.None);
        await Task.Delay(Subscription.ReorderGrace + TimeSpan.FromMilliseconds(50));
        await h.Subscription.OnIdleAsync(CancellationToken.None);

        var gap = Assert.Single(h.Events.OfType<DataGap>());
        Assert.Equal((2u, 4_999_999u), (gap.FirstLost, gap.LastLost));
        Assert.Equal(1024, gap.LostSequenceNumbers.Length);
        Assert.Equal([1, 2], h.Values);
    }

    [Fact]
    public async Task RecreatedAfterTimeout_TheGapComesBeforeTheNewInitialValues()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(20) });
        var events = new ConcurrentQueue<SubscriptionNotification>();
        subscription.DataChanged += events.Enqueue;
        subscription.GapDetected += events.Enqueue;
        subscription.StatusChanged += events.Enqueue;
        await subscription.AddItemAsync(new MonitoredItemOptions(server.Counter.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) });
        await SubscriptionsWait.UntilAsync(() => events.OfType<DataChangeBatch>().Any());

        // The server lets the subscription time out: the client is told (Bad_Timeout) and creates it again.
        var old = subscription.Id;
        server.Server.Subscriptions.Expire(server.Server.Subscriptions.All.Single());
        await SubscriptionsWait.UntilAsync(() => subscription.Id != old && events.SkipWhile(e => e is not SubscriptionStatusChanged).Any(e => e is DataChangeBatch));

        var after = events.SkipWhile(e => e is not SubscriptionStatusChanged).ToArray();
        var gapAt = Array.FindIndex(after, e => e is DataGap { Reason: GapReason.SubscriptionRecreated });
        var firstValuesAt = Array.FindIndex(after, e => e is DataChangeBatch);
        Assert.True(gapAt >= 0 && gapAt < firstValuesAt, string.Join(", ", after.Select(e => e.GetType().Name)));
    }
}
