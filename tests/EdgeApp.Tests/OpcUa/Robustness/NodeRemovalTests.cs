using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>Removing nodes while others browse and monitor them.</summary>
public sealed class NodeRemovalTests
{
    [Fact]
    public async Task Snapshot_DuringRemoveAll_NeverThrows()
    {
        var list = new ReferenceList();
        var target = new NodeId(1u);
        for (var i = 0; i < 64; i++)
        {
            list.Add(new NodeReference(new NodeId(35u), false, new NodeId((uint)(i + 100))));
        }

        // Bounded by count, on dedicated threads (not thread-pool ones other tests need).
        var writer = Task.Factory.StartNew(() =>
        {
            for (var round = 0; round < 20_000; round++)
            {
                for (var i = 0; i < 8; i++)
                {
                    list.Add(new NodeReference(new NodeId(35u), false, target));
                }

                list.RemoveAll(r => r.TargetId == target);
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        var reads = 0L;
        var reader = Task.Factory.StartNew(() =>
        {
            while (!writer.IsCompleted)
            {
                var snapshot = list.Snapshot();
                Assert.True(snapshot.Length >= 64);
                reads++;
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        await Task.WhenAll(writer, reader).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(reads > 0);
    }

    [Fact]
    public async Task RemovedVariable_ReportsBadNodeIdUnknownToItsMonitoredItems()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var variable = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Doomed"), "Doomed", 1);
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var statuses = new System.Collections.Concurrent.ConcurrentQueue<StatusCode>();
        subscription.DataChanged += batch =>
        {
            foreach (var change in batch.Changes)
            {
                statuses.Enqueue(change.Value.StatusCode);
            }
        };
        await subscription.AddItemAsync(new MonitoredItemOptions(variable.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(10) });
        await SubscriptionsWait.UntilAsync(() => statuses.Contains(StatusCodes.Good));

        Assert.True(server.Server.AddressSpace.RemoveNode(variable.NodeId));
        await SubscriptionsWait.UntilAsync(() => statuses.Contains(StatusCodes.BadNodeIdUnknown));
    }
}
