using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeApp.Gateway;
using EdgeApp.Gateway.Extensions;
using EdgeApp.Gateway.Forwarding;
using EdgeApp.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeApp.Benchmarks.Gateway;

/// <summary>
/// The gateway's handler path without the broker: N decoded telemetry events handed to the GatewayHandler in
/// batches, (1) with the file sink working (fsync per batch), (2) with the sink failing so every batch goes to the
/// spool, then (3) the drain of that spool once the sink works again. Reports events/s, per-batch latency
/// p50/p99 (the latency store-and-forward adds) and spool bytes per event.
/// Options: --events N (1000000) --batch N (1000) --fsync true|false (true) --dir PATH (system temp).
/// </summary>
public sealed class GatewayHarness : IHarness
{
    public string Name => "gateway";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var events = options.Int("events", 1_000_000);
        var batchSize = options.Int("batch", 1000);
        var fsync = options.Bool("fsync", true);
        var root = Directory.CreateDirectory(Path.Combine(options.Text("dir", Path.GetTempPath()), $"edgeapp-bench-gw-{Guid.NewGuid():N}")).FullName;
        var batches = Batches(events, batchSize);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"gateway handler path ({Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}): {events:N0} events, batch {batchSize}, fsync {fsync}"));

        var warmUp = Path.Combine(root, "warm-up");
        await RunAsync(warmUp, fsync, batches[..Math.Min(20, batches.Length)], report: false);
        await RunAsync(Path.Combine(root, "run"), fsync, batches, report: true);
        Directory.Delete(root, recursive: true);
        return 0;
    }

    private static async Task RunAsync(string root, bool fsync, ReceivedEvent[][] batches, bool report)
    {
        var total = batches.Sum(b => b.Length);
        (TimeSpan Elapsed, double P50, double P99) direct;
        using (var working = BuildHost(Path.Combine(root, "working"), fsync))
        {
            direct = await HandleAllAsync(working.Services.GetRequiredService<GatewayHandler>(), batches);
        }

        // A second gateway whose sink directory is blocked by a file: every write fails and goes to the spool.
        var failingRoot = Path.Combine(root, "failing");
        Directory.CreateDirectory(failingRoot);
        var sink = Path.Combine(failingRoot, "sink");
        await File.WriteAllTextAsync(sink, "not a directory");
        using var failing = BuildHost(failingRoot, fsync);
        var channel = failing.Services.GetRequiredService<SinkChannels>()["file"];
        var spooled = await HandleAllAsync(failing.Services.GetRequiredService<GatewayHandler>(), batches);
        var spoolBytes = channel.Spool.Bytes;
        var spoolCount = channel.Spool.Count;

        File.Delete(sink);
        var drain = Stopwatch.StartNew();
        await failing.StartAsync();
        while (channel.Spool.Count > 0)
        {
            await Task.Delay(10);
        }

        drain.Stop();
        await failing.StopAsync();
        if (report)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
                  sink working:  {total / direct.Elapsed.TotalSeconds,10:N0} events/s   batch p50 {direct.P50:F2} ms, p99 {direct.P99:F2} ms
                  sink failing:  {total / spooled.Elapsed.TotalSeconds,10:N0} events/s   batch p50 {spooled.P50:F2} ms, p99 {spooled.P99:F2} ms  ({spoolCount:N0} spooled, {(double)spoolBytes / Math.Max(1, spoolCount):F0} spool bytes/event)
                  drain:         {spoolCount / drain.Elapsed.TotalSeconds,10:N0} events/s   once the sink works again (includes the circuit breaker's break)
                """));
        }
    }

    private static async Task<(TimeSpan Elapsed, double P50, double P99)> HandleAllAsync(GatewayHandler handler, ReceivedEvent[][] batches)
    {
        var latencies = new double[batches.Length];
        var statuses = new DeliveryStatus[batches.Max(b => b.Length)];
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < batches.Length; i++)
        {
            var start = clock.Elapsed;
            await handler.HandleBatchAsync(batches[i], statuses, CancellationToken.None);
            latencies[i] = (clock.Elapsed - start).TotalMilliseconds;
            if (statuses[0] != DeliveryStatus.Success)
            {
                throw new InvalidOperationException($"batch {i} was not taken: {statuses[0]}");
            }
        }

        var elapsed = clock.Elapsed;
        Array.Sort(latencies);
        return (elapsed, latencies[latencies.Length / 2], latencies[Math.Min(latencies.Length - 1, (int)(latencies.Length * 0.99))]);
    }

    private static IHost BuildHost(string root, bool fsync)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Gateway:Topics:0"] = "telemetry",
            ["Gateway:Routes:0:Sinks:0"] = "file",
            ["Gateway:DeadLetterSink"] = "deadletter",
            ["Gateway:Sinks:file:Type"] = "File",
            ["Gateway:Sinks:file:Directory"] = Path.Combine(root, "sink"),
            ["Gateway:Sinks:file:FlushToDisk"] = fsync.ToString(),
            ["Gateway:Sinks:deadletter:Type"] = "File",
            ["Gateway:Sinks:deadletter:Directory"] = Path.Combine(root, "deadletter"),
            ["Spool:Directory"] = Path.Combine(root, "spool"),
            ["Spool:FlushToDisk"] = fsync.ToString(),
            ["Spool:MaxBytes"] = (8L << 30).ToString(CultureInfo.InvariantCulture),
        });
        builder.AddGateway();
        return builder.Build();
    }

    private static ReceivedEvent[][] Batches(int events, int batchSize)
    {
        var time = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        return Enumerable.Range(0, (events + batchSize - 1) / batchSize)
            .Select(b => Enumerable.Range(b * batchSize, Math.Min(batchSize, events - (b * batchSize))).Select(i =>
            {
                var json = $$$"""{"data":{"machineId":"machine-{{{i % 10:D2}}}","sequence":{{{i}}},"machine":{"temperature":47.778,"pressure":2.207},"ambient":{"temperature":21.074,"pressure":1013.408}},"datacontenttype":"application/json","id":"{{{Guid.NewGuid()}}}","pubsubname":"pubsub","source":"sensor","specversion":"1.0","subject":"machine-{{{i % 10:D2}}}","time":"{{{time}}}","topic":"telemetry","traceid":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","tracestate":"","type":"com.dapr.event.sent"}""";
                return new ReceivedEvent(CloudEventReader.Parse(Encoding.UTF8.GetBytes(json)), "telemetry", $"{b}-{i}", 1);
            }).ToArray())
            .ToArray();
    }
}
