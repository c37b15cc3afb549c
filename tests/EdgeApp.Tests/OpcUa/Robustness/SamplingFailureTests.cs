using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>One item whose sample throws does not stop the sampling of the others at its interval.</summary>
public sealed class SamplingFailureTests
{
    [Fact]
    public async Task NonNumericValueUnderADeadband_AndAThrowingValueSource_DoNotStopSampling()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var any = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Any"), "Any", Variant.FromArray(new[] { 1.0, 2.0 }));
        var broken = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("Broken"), "Broken", 0);
        var calls = 0;
        broken.ValueSource = () => Interlocked.Increment(ref calls) > 1 ? throw new InvalidOperationException("device gone") : new DataValue(new Variant(0), StatusCodes.Good, DateTime.UtcNow, DateTime.UtcNow);
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(50) });
        var counter = new System.Collections.Concurrent.ConcurrentQueue<int>();
        var anyValues = new System.Collections.Concurrent.ConcurrentQueue<Variant>();
        subscription.DataChanged += batch =>
        {
            foreach (var change in batch.Changes)
            {
                if (Equals(change.Item.Tag, "counter"))
                {
                    counter.Enqueue(change.Value.Value.Get<int>());
                }
                else if (Equals(change.Item.Tag, "any"))
                {
                    anyValues.Enqueue(change.Value.Value);
                }
            }
        };
        var deadband = new DataChangeFilter { Trigger = DataChangeTrigger.StatusValue, DeadbandType = DeadbandType.Absolute, DeadbandValue = 0.5 };
        var items = await subscription.AddItemsAsync(
        [
            new MonitoredItemOptions(any.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(20), Filter = deadband, Tag = "any" },
            new MonitoredItemOptions(broken.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(20), Tag = "broken" },
            new MonitoredItemOptions(server.Counter.NodeId) { SamplingInterval = TimeSpan.FromMilliseconds(20), Tag = "counter" },
        ]);
        Assert.All(items, i => Assert.True(i.IsCreated, i.ToString()));
        await SubscriptionsWait.UntilAsync(() => anyValues.Count >= 1);

        // A client writes strings into the "any" variable watched with a numeric deadband, twice (string[] against string[]).
        Assert.True((await client.WriteAsync(any.NodeId, Variant.FromArray(new[] { "x", "y" }))).IsGood);
        await SubscriptionsWait.UntilAsync(() => anyValues.Count >= 2);
        Assert.True((await client.WriteAsync(any.NodeId, Variant.FromArray(new[] { "x", "z" }))).IsGood);
        await SubscriptionsWait.UntilAsync(() => anyValues.Count >= 3);
        await SubscriptionsWait.UntilAsync(() => Volatile.Read(ref calls) > 3);

        for (var value = 1; value <= 3; value++)
        {
            server.Counter.Value = value;
            var expected = value;
            await SubscriptionsWait.UntilAsync(() => counter.Contains(expected));
        }
    }

    [Fact]
    public async Task AbsoluteDeadband_OnAnAnyVariableHoldingText_IsRefused()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var text = server.Server.AddressSpace.AddVariable(server.TestFolder, server.Id("AnyText"), "AnyText", (Variant)"text");
        await using var client = await server.ConnectAsync();
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(100) });
        var item = await subscription.AddItemAsync(new MonitoredItemOptions(text.NodeId)
        {
            Filter = new DataChangeFilter { Trigger = DataChangeTrigger.StatusValue, DeadbandType = DeadbandType.Absolute, DeadbandValue = 1 },
        });
        Assert.Equal(StatusCodes.BadFilterNotAllowed, item.Status);
    }
}
