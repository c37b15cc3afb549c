using System.Text;
using System.Text.Json;
using EdgeApp.Messaging;
using EdgeApp.Tests.Infrastructure;
using StackExchange.Redis;

namespace EdgeApp.Tests.Messaging;

/// <summary>What the direct transport writes to Redis must be what Dapr's pubsub.redis writes.</summary>
public sealed class RedisStreamsWireTests : IAsyncLifetime
{
    private RedisServer redis = null!;

    public async Task InitializeAsync() => redis = await RedisServer.StartAsync();

    public async Task DisposeAsync() => await redis.DisposeAsync();

    [Fact]
    public async Task Publish_WritesOneEntryWithOnlyADataField_HoldingTheDaprCloudEvent()
    {
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "sensor");

        await host.Publisher.PublishAsync("telemetry", new OutgoingEvent("""{"machine":{"temperature":21.5}}"""u8.ToArray()) { Id = "evt-1" });

        await using var raw = await redis.ConnectAsync();
        var entries = await raw.GetDatabase().StreamRangeAsync("telemetry");
        var entry = Assert.Single(entries);
        Assert.Equal(["data"], entry.Values.Select(v => v.Name.ToString()));

        using var json = JsonDocument.Parse((byte[])entry.Values[0].Value!);
        var root = json.RootElement;
        Assert.Equal(
            ["data", "datacontenttype", "id", "pubsubname", "source", "specversion", "time", "topic", "traceid", "traceparent", "tracestate", "type"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(21.5, root.GetProperty("data").GetProperty("machine").GetProperty("temperature").GetDouble());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());
        Assert.Equal("evt-1", root.GetProperty("id").GetString());
        Assert.Equal("pubsub", root.GetProperty("pubsubname").GetString());
        Assert.Equal("sensor", root.GetProperty("source").GetString());
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("telemetry", root.GetProperty("topic").GetString());
        Assert.Equal("com.dapr.event.sent", root.GetProperty("type").GetString());
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", root.GetProperty("traceparent").GetString());
        Assert.Equal(root.GetProperty("traceparent").GetString(), root.GetProperty("traceid").GetString());
        Assert.True(DateTimeOffset.TryParse(root.GetProperty("time").GetString(), out var time));
        Assert.InRange(time, DateTimeOffset.UtcNow.AddMinutes(-1), DateTimeOffset.UtcNow.AddMinutes(1));
    }

    [Fact]
    public async Task PublishBatch_KeepsOrder_AndOneTraceAcrossTheBatch()
    {
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "sensor");
        var batch = Enumerable.Range(0, 500).Select(i => new OutgoingEvent(Encoding.UTF8.GetBytes(i.ToString())) { Id = $"e{i}" }).ToList();

        await host.Publisher.PublishBatchAsync("ordered", batch);

        await using var raw = await redis.ConnectAsync();
        var events = (await raw.GetDatabase().StreamRangeAsync("ordered")).Select(e => CloudEventReader.Parse((byte[])e["data"]!)).ToList();
        Assert.Equal(batch.Select(b => b.Id), events.Select(e => e.Id));
        Assert.Single(events.Select(e => e.TraceParent).Distinct());
    }

    [Fact]
    public async Task Publish_TrimsApproximately_WhenMaxLenApproxIsSet()
    {
        await using var host = await MessagingHost.StartAsync(
            redis.ConnectionString, "sensor", new() { ["Messaging:RedisStreams:MaxLenApprox"] = "100" });

        for (var i = 0; i < 10; i++)
        {
            await host.Publisher.PublishBatchAsync("trimmed", Enumerable.Range(0, 100).Select(_ => new OutgoingEvent("1"u8.ToArray())).ToList());
        }

        await using var raw = await redis.ConnectAsync();
        var length = await raw.GetDatabase().StreamLengthAsync("trimmed");
        Assert.InRange(length, 100, 999);
    }

    [Fact]
    public async Task Subscribe_CreatesTheAppIdGroupFromStreamStart_SoEarlierEventsAreDelivered()
    {
        await using (var publisher = await MessagingHost.StartAsync(redis.ConnectionString, "sensor"))
        {
            await publisher.Publisher.PublishAsync("early", new OutgoingEvent("1"u8.ToArray()) { Id = "before-subscriber" });
        }

        var handler = new RecordingHandler();
        await using var consumer = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "early"));

        await Eventually.TrueAsync(() => !handler.Received.IsEmpty, TimeSpan.FromSeconds(10), "the event published before the group existed is delivered");
        Assert.Equal("before-subscriber", handler.Received.Single().Event.Id);
        await using var raw = await redis.ConnectAsync();
        var group = Assert.Single(await raw.GetDatabase().StreamGroupInfoAsync("early"));
        Assert.Equal("gateway", group.Name);
        var consumerInfo = Assert.Single(await raw.GetDatabase().StreamConsumerInfoAsync("early", "gateway"));
        Assert.Equal("gateway", consumerInfo.Name);
    }
}
