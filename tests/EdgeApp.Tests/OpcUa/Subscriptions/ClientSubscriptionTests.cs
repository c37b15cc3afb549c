using System.Collections.Concurrent;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Subscriptions;

/// <summary>The client subscription API against the EdgeApp server: stream, callbacks, live item changes, churn.</summary>
public sealed class ClientSubscriptionTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Stream_DeliversInitialValuesAndChanges_WithHandlesStatusAndTimestamps()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        Assert.Equal(TimeSpan.FromMilliseconds(50), subscription.RevisedPublishingInterval);
        using var cts = new CancellationTokenSource(Timeout);
        var stream = subscription.ReadNotificationsAsync(cts.Token).GetAsyncEnumerator(cts.Token);

        var items = await subscription.AddItemsAsync([
            new MonitoredItemOptions(server.Counter.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10), Tag = "counter" },
            new MonitoredItemOptions(server.Id("Missing")),
        ]);
        Assert.True(items[0].IsCreated);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, items[1].Status);
        Assert.Single(subscription.Items);
        Assert.Equal(TimeSpan.FromMilliseconds(10), items[0].RevisedSamplingInterval);

        var initial = await NextBatchAsync(stream);
        var change = Assert.Single(initial.Changes);
        Assert.Same(items[0], change.Item);
        Assert.Equal("counter", change.Item.Tag);
        Assert.Equal(0, change.Value.Value.Get<int>());
        Assert.Equal(StatusCodes.Good, change.StatusCode);
        Assert.NotEqual(default, change.SourceTimestamp);
        Assert.NotEqual(default, change.ServerTimestamp);

        server.Counter.Set(42, StatusCodes.Uncertain, new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc));
        var next = await NextBatchAsync(stream);
        Assert.Equal(42, next.Changes[0].Value.Value.Get<int>());
        Assert.Equal(StatusCodes.Uncertain, next.Changes[0].StatusCode);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), next.Changes[0].SourceTimestamp);
        Assert.True(next.SequenceNumber > initial.SequenceNumber);
        Assert.Equal(42, items[0].LastValue!.Value.Value.Get<int>());
    }

    [Fact]
    public async Task Callback_ModifyAndMonitoringMode_OnALiveSubscription()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Live"), "Live", 0.0);
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var received = new ConcurrentQueue<double>();
        subscription.DataChanged += batch =>
        {
            foreach (var change in batch.Changes)
            {
                received.Enqueue(change.Value.Value.Get<double>());
            }
        };

        var item = await subscription.AddItemAsync(new MonitoredItemOptions(variable.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) });
        await WaitUntilAsync(() => received.Contains(0.0));

        // A deadband added on the live item: small steps disappear, big ones come through.
        await subscription.ModifyItemsAsync([(item, item.Options with { Filter = new DataChangeFilter { DeadbandType = DeadbandType.Absolute, DeadbandValue = 10 }, QueueSize = 5 })]);
        Assert.Equal(5u, item.RevisedQueueSize);
        variable.Value = 3;
        await SubscriptionServiceTests.WaitForSampleAsync(server.Server, variable); // 3 was sampled (and filtered) before 20 is written
        variable.Value = 20;
        await WaitUntilAsync(() => received.Contains(20.0));
        Assert.DoesNotContain(3.0, received);

        // A witness item at the same interval: once its value arrives, the disabled item had a tick and a publish to report in.
        var witness = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("LiveWitness"), "LiveWitness", 0.0);
        var witnessItem = await subscription.AddItemAsync(new MonitoredItemOptions(witness.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) });
        await WaitUntilAsync(() => received.Contains(0.0));
        await subscription.SetMonitoringModeAsync(MonitoringMode.Disabled, [item]);
        Assert.Equal(MonitoringMode.Disabled, item.MonitoringMode);
        variable.Value = 50;
        witness.Value = -1;
        await WaitUntilAsync(() => received.Contains(-1.0));
        Assert.DoesNotContain(50.0, received);
        await subscription.SetMonitoringModeAsync(MonitoringMode.Reporting, [item]);
        await WaitUntilAsync(() => received.Contains(50.0));

        await subscription.SetPublishingModeAsync(false);
        variable.Value = 80;
        await SubscriptionServiceTests.WaitForSampleAsync(server.Server, variable); // queued on the server...
        await Task.Delay(3 * 50);                                                 // ...and publishing cycles went by
        Assert.DoesNotContain(80.0, received);
        await subscription.SetPublishingModeAsync(true);
        await WaitUntilAsync(() => received.Contains(80.0));

        await subscription.ModifyAsync(subscription.Options with { PublishingInterval = TimeSpan.FromMilliseconds(200) });
        Assert.Equal(TimeSpan.FromMilliseconds(200), subscription.RevisedPublishingInterval);
        await subscription.RemoveItemsAsync([item, witnessItem]);
        Assert.Empty(subscription.Items);
        Assert.Equal(0, server.Server.Subscriptions.MonitoredItemCount);
    }

    [Fact]
    public async Task Churn_ItemsAddedAndRemovedWhilePublishing_EachItemSeesIncreasingValues()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var folder = server.Server.AddressSpace.AddFolder(server.TestFolder, server.Id("Churn"), "Churn");
        var variables = Enumerable.Range(0, 300).Select(i => server.Server.AddressSpace.AddVariable(folder, server.Id($"C{i}"), $"C{i}", 0)).ToArray();
        using var stop = new CancellationTokenSource();
        var writer = Task.Run(async () =>
        {
            for (var round = 1; !stop.IsCancellationRequested; round++)
            {
                foreach (var variable in variables)
                {
                    variable.Value = round;
                }

                await Task.Delay(10);
            }
        });

        await using var client = await server.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(30), MaxNotificationsPerPublish = 100 });
        var lastByHandle = new ConcurrentDictionary<uint, int>();
        var outOfOrder = 0;
        var afterRemoval = 0;
        var removedHandles = new ConcurrentDictionary<uint, bool>();
        subscription.DataChanged += batch =>
        {
            foreach (var change in batch.Changes)
            {
                var value = change.Value.Value.Get<int>();
                if (lastByHandle.TryGetValue(change.ClientHandle, out var last) && value <= last)
                {
                    Interlocked.Increment(ref outOfOrder);
                }

                if (removedHandles.ContainsKey(change.ClientHandle))
                {
                    Interlocked.Increment(ref afterRemoval);
                }

                lastByHandle[change.ClientHandle] = value;
            }
        };

        var random = new Random(4);
        var monitored = (await subscription.AddItemsAsync(variables.Take(100).Select(v => new MonitoredItemOptions(v.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) }))).ToList();
        for (var round = 0; round < 30; round++)
        {
            var free = variables.Where(v => monitored.All(m => m.NodeId != v.NodeId)).OrderBy(_ => random.Next()).Take(10);
            monitored.AddRange(await subscription.AddItemsAsync(free.Select(v => new MonitoredItemOptions(v.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) })));
            var remove = monitored.OrderBy(_ => random.Next()).Take(10).ToArray();
            await subscription.RemoveItemsAsync(remove);
            foreach (var item in remove)
            {
                removedHandles[item.ClientHandle] = true;
                monitored.Remove(item);
            }

            await Task.Delay(20);
        }

        var settled = DateTime.UtcNow;
        await WaitUntilAsync(() => monitored.All(m => m.LastValue is { } v && v.SourceTimestamp > settled));
        await stop.CancelAsync();
        await writer;

        Assert.Equal(100, monitored.Count);
        Assert.Equal(100, subscription.Items.Count);
        Assert.Equal(100, server.Server.Subscriptions.MonitoredItemCount);
        Assert.Equal(0, Volatile.Read(ref outOfOrder));
        Assert.Equal(0, Volatile.Read(ref afterRemoval));
    }

    [Fact]
    public async Task ManyItems_AreCreatedInSeveralCalls_AndAllDeliver()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var folder = server.Server.AddressSpace.AddFolder(server.TestFolder, server.Id("Bulk"), "Bulk");
        var variables = Enumerable.Range(0, 2500).Select(i => server.Server.AddressSpace.AddVariable(folder, server.Id($"B{i}"), $"B{i}", i)).ToArray();
        await using var client = await server.ConnectAsync(new ClientOptions { MaxMonitoredItemsPerCall = 1000 });
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var seen = new ConcurrentDictionary<uint, int>();
        subscription.DataChanged += batch =>
        {
            foreach (var change in batch.Changes)
            {
                seen[change.ClientHandle] = change.Value.Value.Get<int>();
            }
        };

        var items = await subscription.AddItemsAsync(variables.Select(v => new MonitoredItemOptions(v.NodeId)));
        Assert.All(items, i => Assert.True(i.IsCreated));
        await WaitUntilAsync(() => seen.Count == 2500);
        Assert.All(items, i => Assert.Equal(int.Parse(i.NodeId.StringId![1..], System.Globalization.CultureInfo.InvariantCulture), seen[i.ClientHandle]));
    }

    internal static async Task<DataChangeBatch> NextBatchAsync(IAsyncEnumerator<SubscriptionNotification> stream)
    {
        while (await stream.MoveNextAsync())
        {
            if (stream.Current is DataChangeBatch batch)
            {
                return batch;
            }
        }

        throw new Xunit.Sdk.XunitException("stream ended");
    }

    internal static async Task WaitUntilAsync(Func<bool> condition, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? Timeout);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not met in time");
            await Task.Delay(20);
        }
    }

    internal static VariableNode<int> AddCounter(TestServer server, string name) => server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id(name), name, 0);
}
