using System.Diagnostics;
using System.Globalization;
using EdgeApp.Gateway;
using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Messaging;
using EdgeApp.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeApp.Benchmarks.Messaging;

/// <summary>
/// End to end over a real redis-server: a publisher sends N events in batches through the RedisStreams transport
/// while a consumer in the gateway's handler path (file sink) takes them. Reports events/s and
/// publish-to-durable latency percentiles, plus CPU of this process and of redis-server.
/// Options: --events N (1000000) --batch N (1000) --in-flight N (4) --queue-depth N (1000) --fsync true|false (true)
/// --rate N (events/s, 0 = unpaced) --prefill true (fill the stream first, then time the consumer alone) --consume false (publish only).
/// </summary>
public sealed class MessagingThroughputHarness : IHarness
{
    public string Name => "messaging";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var events = options.Int("events", 1_000_000);
        var batchSize = options.Int("batch", 1000);
        var inFlight = options.Int("in-flight", 4);
        var queueDepth = options.Int("queue-depth", 1000);
        var fsync = options.Bool("fsync", true);
        var consume = options.Bool("consume", true);
        var prefill = options.Bool("prefill", false);
        var rate = options.Int("rate", 0);
        var sinkDirectory = Directory.CreateTempSubdirectory("edgeapp-bench-sink-").FullName;

        await using var redis = await RedisServer.StartAsync();
        var recorder = new LatencyRecorder(events);
        using var producer = await StartHostAsync(redis.ConnectionString, "sensor", queueDepth, _ => { });
        var publisher = producer.Services.GetRequiredService<IEventPublisher>();
        var payload = """{"machineId":"machine-01","timeCreated":"2026-11-30T10:22:56.1209315+00:00","machine":{"temperature":47.778,"pressure":2.207},"ambient":{"temperature":21.074,"pressure":1013.408}}"""u8.ToArray();
        if (prefill)
        {
            await PublishAllAsync(publisher, payload, events, batchSize, inFlight, rate);
        }

        using var consumer = await StartHostAsync(redis.ConnectionString, "gateway", queueDepth, services =>
        {
            if (!consume)
            {
                return;
            }

            services.AddSingleton(TimeProvider.System);
            services.AddSingleton<GatewayMetrics>();
            services.AddSingleton(Microsoft.Extensions.Options.Options.Create(new FileSinkOptions { Directory = sinkDirectory, FlushToDisk = fsync }));
            services.AddSingleton<FileSink>();
            services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<FileSink>());
            services.AddSingleton<GatewayHandler>();
            services.AddSingleton(sp => new MeasuringHandler(sp.GetRequiredService<GatewayHandler>(), recorder));
            services.AddEventHandler<MeasuringHandler>("bench");
        });
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var redisCpuBefore = RedisCpu(redis.Port);
        var clock = Stopwatch.StartNew();
        if (!prefill)
        {
            await PublishAllAsync(publisher, payload, events, batchSize, inFlight, rate);
        }

        var published = clock.Elapsed;
        if (!consume)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"publish only: {events:N0} events in {published.TotalSeconds:F2} s ({events / published.TotalSeconds:N0} events/s), CPU {(Process.GetCurrentProcess().TotalProcessorTime - cpuBefore).TotalSeconds:F1} s, redis {(RedisCpu(redis.Port) - redisCpuBefore).TotalSeconds:F1} s"));
            return 0;
        }

        await recorder.Completed.WaitAsync(TimeSpan.FromMinutes(10));
        var handled = clock.Elapsed;
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var redisCpu = RedisCpu(redis.Port) - redisCpuBefore;

        var (p50, p99, max) = recorder.Percentiles();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            messaging {(prefill ? "consume only (stream filled first)" : "end to end")} over redis-server ({Environment.ProcessorCount} cores): {events:N0} events, batch {batchSize}, in-flight {inFlight}, queue depth {queueDepth}, fsync {fsync}, rate {(rate > 0 ? rate.ToString("N0", CultureInfo.InvariantCulture) + "/s" : "unpaced")}
              published in {published.TotalSeconds:F2} s  ({events / published.TotalSeconds:N0} events/s)
              handled   in {handled.TotalSeconds:F2} s  ({events / handled.TotalSeconds:N0} events/s end to end)
              publish->durable latency: p50 {p50:F1} ms, p99 {p99:F1} ms, max {max:F1} ms
              CPU: this process {cpu.TotalSeconds:F1} s ({cpu.TotalSeconds / handled.TotalSeconds * 100:F0}% of one core), redis-server {redisCpu.TotalSeconds:F1} s
              sink: {Directory.GetFiles(sinkDirectory).Sum(f => new FileInfo(f).Length) / (double)events:F0} bytes/event
            """));
        Directory.Delete(sinkDirectory, recursive: true);
        return 0;
    }

    /// <summary>Publishes as fast as allowed, or paced to <paramref name="rate"/> events/s when it is above zero.</summary>
    private static async Task PublishAllAsync(IEventPublisher publisher, byte[] payload, int events, int batchSize, int inFlight, int rate)
    {
        var gate = new SemaphoreSlim(inFlight);
        var pace = Stopwatch.StartNew();
        var publishing = new List<Task>();
        for (var sent = 0; sent < events; sent += batchSize)
        {
            var count = Math.Min(batchSize, events - sent);
            var batch = new OutgoingEvent[count];
            for (var i = 0; i < count; i++)
            {
                batch[i] = new OutgoingEvent(payload) { Subject = "machine-01" };
            }

            if (rate > 0 && TimeSpan.FromSeconds((double)sent / rate) - pace.Elapsed is { Ticks: > 0 } ahead)
            {
                await Task.Delay(ahead);
            }

            await gate.WaitAsync();
            publishing.Add(publisher.PublishBatchAsync("bench", batch).ContinueWith(_ => gate.Release(), TaskScheduler.Default));
        }

        await Task.WhenAll(publishing);
    }

    private static async Task<IHost> StartHostAsync(string redis, string appId, int queueDepth, Action<IServiceCollection> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redis,
            ["Messaging:AppId"] = appId,
            ["Messaging:RedisStreams:QueueDepth"] = queueDepth.ToString(CultureInfo.InvariantCulture),
        });
        builder.AddMessaging();
        configure(builder.Services);
        var host = builder.Build();
        await host.StartAsync();
        return host;
    }

    /// <summary>CPU time of the redis-server listening on <paramref name="port"/>, from /proc (Linux only).</summary>
    private static TimeSpan RedisCpu(int port)
    {
        var portText = ":" + port.ToString(CultureInfo.InvariantCulture);
        foreach (var process in Process.GetProcesses())
        {
            try
            {
                if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(portText, StringComparison.Ordinal)
                    && process.ProcessName.StartsWith("redis", StringComparison.Ordinal))
                {
                    return process.TotalProcessorTime;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        return TimeSpan.Zero;
    }

    /// <summary>Times each event from its CloudEvent time (set when published) to the moment the sink has it.</summary>
    private sealed class MeasuringHandler(GatewayHandler inner, LatencyRecorder recorder) : IEventHandler
    {
        public ValueTask<DeliveryStatus> HandleAsync(ReceivedEvent received, CancellationToken cancellationToken) =>
            inner.HandleAsync(received, cancellationToken);

        public async ValueTask HandleBatchAsync(IReadOnlyList<ReceivedEvent> batch, DeliveryStatus[] statuses, CancellationToken cancellationToken)
        {
            await inner.HandleBatchAsync(batch, statuses, cancellationToken);
            var now = DateTimeOffset.UtcNow;
            foreach (var received in batch)
            {
                recorder.Record((now - received.Event.Time!.Value).TotalMilliseconds);
            }
        }
    }
}
