using System.Collections.Concurrent;
using System.Diagnostics;
using EdgeApp.Messaging;
using EdgeApp.Tests.Infrastructure;

namespace EdgeApp.Tests.Messaging;

/// <summary>One trace spans producer, broker and consumer: the consumer's span continues the CloudEvent's traceparent.</summary>
public sealed class TraceContinuityTests : IAsyncLifetime
{
    private readonly ConcurrentQueue<Activity> stopped = new();
    private ActivityListener listener = null!;
    private RedisServer redis = null!;

    public async Task InitializeAsync()
    {
        listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "EdgeApp.Messaging",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = stopped.Enqueue,
        };
        ActivitySource.AddActivityListener(listener);
        redis = await RedisServer.StartAsync();
    }

    public async Task DisposeAsync()
    {
        listener.Dispose();
        await redis.DisposeAsync();
    }

    [Fact]
    public async Task ConsumerSpan_ContinuesTheProducersTrace()
    {
        var handler = new RecordingHandler();
        await using var host = await MessagingHost.StartAsync(redis.ConnectionString, "gateway", configureServices: RecordingHandler.Subscribe(handler, "traced"));

        await host.Publisher.PublishAsync("traced", new OutgoingEvent("1"u8.ToArray()) { Id = "t1" });

        await Eventually.TrueAsync(() => stopped.Any(a => a.DisplayName == "traced process"), TimeSpan.FromSeconds(15), "a process span");
        var publish = stopped.Single(a => a.DisplayName == "traced publish");
        var process = stopped.Single(a => a.DisplayName == "traced process");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(publish.TraceId, process.TraceId);
        Assert.Equal(publish.SpanId, process.ParentSpanId);
        Assert.Equal(publish.Id, handler.Received.Single().Event.TraceParent);
    }
}
