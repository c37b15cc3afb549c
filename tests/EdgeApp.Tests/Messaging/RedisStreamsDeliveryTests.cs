using System.Text;
using System.Text.Json;
using EdgeApp.Messaging;
using EdgeApp.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace EdgeApp.Tests.Messaging;

/// <summary>At-least-once delivery over a real redis-server: ack, redelivery, reclaim, dead-letter.</summary>
public sealed class RedisStreamsDeliveryTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, string?> FastRedelivery = new()
    {
        ["Messaging:RedisStreams:ProcessingTimeout"] = "00:00:00.300",
        ["Messaging:RedisStreams:RedeliverInterval"] = "00:00:00.100",
    };

    private RedisServer redis = null!;
    private ConnectionMultiplexer raw = null!;

    private IDatabase Db => raw.GetDatabase();

    public async Task InitializeAsync()
    {
        redis = await RedisServer.StartAsync();
        raw = await redis.ConnectAsync();
    }

    public async Task DisposeAsync()
    {
        await raw.DisposeAsync();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task Success_IsAcknowledged_AndNothingStaysPending()
    {
        var handler = new RecordingHandler();
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "t"));

        await host.Publisher.PublishBatchAsync("t", Events(50));

        await Eventually.TrueAsync(() => handler.Received.Count == 50, Wait, "all 50 events handled");
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount == 0, Wait, "every event acknowledged");
        Assert.Equal(Enumerable.Range(0, 50).Select(i => $"e{i}"), handler.Received.Select(r => r.Event.Id));
        Assert.All(handler.Received, r => Assert.Equal(1, r.DeliveryCount));
    }

    [Fact]
    public async Task Retry_LeavesTheEventPending_UntilItIsRedeliveredAfterTheProcessingTimeout()
    {
        var attempts = 0;
        var handler = new RecordingHandler((_, _) =>
            Task.FromResult(Interlocked.Increment(ref attempts) == 1 ? DeliveryStatus.Retry : DeliveryStatus.Success));
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", FastRedelivery, RecordingHandler.Subscribe(handler, "t"));

        await host.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "again" });

        await Eventually.TrueAsync(() => handler.Received.Count == 1, Wait, "first delivery");
        Assert.Equal(1, (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount);
        await Eventually.TrueAsync(() => handler.Received.Count == 2, Wait, "redelivery after the processing timeout");
        var redelivered = handler.Received.Last();
        Assert.Equal("again", redelivered.Event.Id);
        Assert.Equal(2, redelivered.DeliveryCount);
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount == 0, Wait, "acknowledged after success");
    }

    [Fact]
    public async Task Retry_KeepsStreamOrder_NewerEventsWaitUntilTheRetriedOnesAreDone()
    {
        // Default timeouts: order must not depend on the 60 s reclaim.
        var retried = 0;
        var handled = new List<string>();
        var handler = new RecordingHandler((r, _) =>
        {
            if (r.Event.Id is "a3" or "a4" or "a5" && Interlocked.Increment(ref retried) <= 3)
            {
                return Task.FromResult(DeliveryStatus.Retry);
            }

            lock (handled)
            {
                handled.Add(r.Event.Id);
            }

            return Task.FromResult(DeliveryStatus.Success);
        });
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "t"));

        await host.Publisher.PublishBatchAsync("t", Enumerable.Range(1, 5).Select(i => new OutgoingEvent("1"u8.ToArray()) { Id = $"a{i}" }).ToList());
        await Eventually.TrueAsync(() => retried >= 3, Wait, "the retries happened");
        await host.Publisher.PublishBatchAsync("t", Enumerable.Range(1, 5).Select(i => new OutgoingEvent("1"u8.ToArray()) { Id = $"b{i}" }).ToList());

        await Eventually.TrueAsync(() => handled.Count == 10, Wait, "all ten handled");
        Assert.Equal(["a1", "a2", "a3", "a4", "a5", "b1", "b2", "b3", "b4", "b5"], handled);
    }

    [Fact]
    public async Task Restart_HandlesWhatThePreviousRunLeftPendingFirst_WithoutWaitingForTheProcessingTimeout()
    {
        var entered = new TaskCompletionSource();
        var stuck = new RecordingHandler(async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return DeliveryStatus.Success;
        });
        var first = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(stuck, "t"));
        await first.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "in-flight" });
        await entered.Task.WaitAsync(Wait);
        await first.DisposeAsync();

        var handler = new RecordingHandler();
        await using var second = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "t"));
        await second.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "newer" });

        await Eventually.TrueAsync(() => handler.Received.Count == 2, TimeSpan.FromSeconds(10), "both handled well inside the 60 s processing timeout");
        Assert.Equal(["in-flight", "newer"], handler.Received.Select(r => r.Event.Id));
        Assert.True(handler.Received.First().DeliveryCount >= 2);
    }

    [Fact]
    public async Task HandlerException_CountsAsRetry()
    {
        var attempts = 0;
        var handler = new RecordingHandler((_, _) => Interlocked.Increment(ref attempts) == 1
            ? throw new IOException("disk full")
            : Task.FromResult(DeliveryStatus.Success));
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", FastRedelivery, RecordingHandler.Subscribe(handler, "t"));

        await host.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "boom" });

        await Eventually.TrueAsync(() => handler.Received.Count == 2, Wait, "redelivered after the exception");
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount == 0, Wait, "acknowledged after success");
    }

    [Fact]
    public async Task ConsumerThatDiesMidMessage_LeavesItPending_AndAnotherInstanceReclaimsIt()
    {
        var entered = new TaskCompletionSource();
        var stuck = new RecordingHandler(async (_, ct) =>
        {
            entered.TrySetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return DeliveryStatus.Success;
        });
        var first = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", FastRedelivery, RecordingHandler.Subscribe(stuck, "t"));
        await first.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "orphan" });
        await entered.Task.WaitAsync(Wait);
        await first.DisposeAsync();
        Assert.Equal(1, (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount);

        var survivor = new RecordingHandler();
        await using var second = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", FastRedelivery, RecordingHandler.Subscribe(survivor, "t"));

        await Eventually.TrueAsync(() => !survivor.Received.IsEmpty, Wait, "the orphaned event is reclaimed");
        var reclaimed = survivor.Received.Single();
        Assert.Equal("orphan", reclaimed.Event.Id);
        Assert.True(reclaimed.DeliveryCount >= 2);
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount == 0, Wait, "acknowledged by the survivor");
    }

    [Fact]
    public async Task Drop_MovesTheEventToTheDeadLetterTopicUnchanged_AndAcknowledgesIt()
    {
        var handler = new RecordingHandler((r, _) => Task.FromResult(r.Event.Id == "bad" ? DeliveryStatus.Drop : DeliveryStatus.Success));
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "t", "t-dlq"));

        await host.Publisher.PublishBatchAsync("t", [new OutgoingEvent("1"u8.ToArray()) { Id = "bad" }, new OutgoingEvent("2"u8.ToArray()) { Id = "good" }]);

        await Eventually.TrueAsync(async () => await Db.StreamLengthAsync("t-dlq") == 1, Wait, "one dead letter");
        var original = (await Db.StreamRangeAsync("t"))[0];
        var dead = (await Db.StreamRangeAsync("t-dlq"))[0];
        Assert.Equal((byte[])original["data"]!, (byte[])dead["data"]!);
        using var metadata = JsonDocument.Parse((string)dead["metadata"]!);
        Assert.Equal("dropped by handler", metadata.RootElement.GetProperty("deadLetterReason").GetString());
        Assert.Equal("t", metadata.RootElement.GetProperty("sourceTopic").GetString());
        Assert.Equal(original.Id.ToString(), metadata.RootElement.GetProperty("sourceMessageId").GetString());
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount == 0, Wait, "both acknowledged");
    }

    [Fact]
    public async Task PoisonMessages_AreDeadLettered_AndTheConsumerCarriesOn()
    {
        var handler = new RecordingHandler();
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "t"));
        await Db.StreamAddAsync("t", "data", "this is not json");
        await Db.StreamAddAsync("t", "payload", "no data field at all");
        await Db.StreamAddAsync("t", "data", """{"id":"1","source":"s","type":"t"}""");

        await host.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "after-poison" });

        await Eventually.TrueAsync(() => handler.Received.Any(r => r.Event.Id == "after-poison"), Wait, "the good event after the poison");
        await Eventually.TrueAsync(async () => await Db.StreamLengthAsync("t-deadletter") == 3, Wait, "three poison messages dead-lettered");
        var reasons = (await Db.StreamRangeAsync("t-deadletter"))
            .Select(e => JsonDocument.Parse((string)e["metadata"]!).RootElement.GetProperty("deadLetterReason").GetString())
            .ToList();
        Assert.Contains(reasons, r => r!.Contains("not valid JSON", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r!.Contains("empty", StringComparison.Ordinal));
        Assert.Contains(reasons, r => r!.Contains("'specversion'", StringComparison.Ordinal));
        Assert.Single(handler.Received);
        await Eventually.TrueAsync(async () => (await Db.StreamPendingAsync("t", "gateway")).PendingMessageCount == 0, Wait, "all acknowledged");
    }

    [Fact]
    public async Task MaxDeliveryAttempts_DeadLettersAnEventThatKeepsFailing()
    {
        var handler = new RecordingHandler((_, _) => Task.FromResult(DeliveryStatus.Retry));
        var settings = new Dictionary<string, string?>(FastRedelivery) { ["Messaging:RedisStreams:MaxDeliveryAttempts"] = "3" };
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", settings, RecordingHandler.Subscribe(handler, "t"));

        await host.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "hopeless" });

        await Eventually.TrueAsync(async () => await Db.StreamLengthAsync("t-deadletter") == 1, Wait, "dead-lettered after 3 deliveries");
        Assert.Equal(3, handler.Received.Count);
        var reason = JsonDocument.Parse((string)(await Db.StreamRangeAsync("t-deadletter"))[0]["metadata"]!).RootElement.GetProperty("deadLetterReason").GetString();
        Assert.Equal("not handled after 3 deliveries", reason);
    }

    [Fact]
    public async Task RedisDownAtStart_MakesTheAppUnready_ThenItRecoversWhenRedisComes()
    {
        await redis.StopAsync();
        var handler = new RecordingHandler();
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "t"));

        var down = await host.CheckHealthAsync();
        Assert.Equal(HealthStatus.Unhealthy, down.Status);
        Assert.Contains("Redis is not connected", down.Entries["messaging"].Description);
        await Assert.ThrowsAnyAsync<RedisException>(() => host.Publisher.PublishAsync("t", new OutgoingEvent("0"u8.ToArray())));

        await redis.StartAgainAsync();
        await Eventually.TrueAsync(async () => (await host.CheckHealthAsync()).Status == HealthStatus.Healthy, TimeSpan.FromSeconds(60), "healthy once Redis is back");
        await host.Publisher.PublishAsync("t", new OutgoingEvent("1"u8.ToArray()) { Id = "after-outage" });
        await Eventually.TrueAsync(() => handler.Received.Any(r => r.Event.Id == "after-outage"), TimeSpan.FromSeconds(60), "consumer resumed");
    }

    private static List<OutgoingEvent> Events(int count) =>
        Enumerable.Range(0, count).Select(i => new OutgoingEvent(Encoding.UTF8.GetBytes($"{{\"n\":{i}}}")) { Id = $"e{i}" }).ToList();
}
