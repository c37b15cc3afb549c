using System.Diagnostics;
using System.Globalization;
using EdgeApp.Spool;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeApp.Benchmarks.Spool;

/// <summary>
/// The gateway's disk spool alone: appends N records in batches (fsync per batch, then without), drains them with
/// peek + commit, then appends and drains at the same time (an outage ending while events keep coming).
/// Reports events/s, batch latency, CPU of this process and spool disk bytes per record.
/// Options: --events N (1000000) --batch N (1000) --payload BYTES (600) --segment-mib N (16) --fsync true|false (both)
/// --dir PATH (the system temp directory; must be a real disk for fsync to mean anything).
/// </summary>
public sealed class SpoolHarness : IHarness
{
    public string Name => "spool";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var events = options.Int("events", 1_000_000);
        var batchSize = options.Int("batch", 1000);
        var payloadBytes = options.Int("payload", 600);
        var segmentBytes = options.Int("segment-mib", 16) * (1L << 20);
        var root = options.Text("dir", Path.GetTempPath());
        var modes = options.Text("fsync", "both") switch
        {
            "both" => new[] { true, false },
            var one => [bool.Parse(one)],
        };

        var batches = MakeBatches(events, batchSize, payloadBytes);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"spool ({Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}): {events:N0} records of {payloadBytes} payload bytes, batch {batchSize}, segments {segmentBytes >> 20} MiB, in {root}"));
        // A short run first, so the measured ones run tiered-up code rather than the JIT's first tier.
        var warmUp = Directory.CreateDirectory(Path.Combine(root, $"edgeapp-bench-spool-{Guid.NewGuid():N}")).FullName;
        var warmUpBatches = batches[..Math.Min(batches.Length, 50)];
        await RunModeAsync(warmUp, fsync: false, segmentBytes, warmUpBatches, warmUpBatches.Sum(b => b.Length), report: false);
        Directory.Delete(warmUp, recursive: true);
        foreach (var fsync in modes)
        {
            var directory = Directory.CreateDirectory(Path.Combine(root, $"edgeapp-bench-spool-{Guid.NewGuid():N}")).FullName;
            try
            {
                await RunModeAsync(directory, fsync, segmentBytes, batches, events, report: true);
            }
            finally
            {
                Directory.Delete(directory, recursive: true);
            }
        }

        return 0;
    }

    private static async Task RunModeAsync(string directory, bool fsync, long segmentBytes, SpoolRecord[][] batches, int events, bool report)
    {
        var spoolOptions = new SpoolOptions { Directory = directory, MaxBytes = 64L << 30, SegmentBytes = segmentBytes, FlushToDisk = fsync };
        using var meters = new NoMeters();
        var metrics = new SpoolMetrics(meters);
        await using var spool = DiskSpool.Open("bench", spoolOptions, metrics, NullLogger.Instance);

        // 1. Append only (the spool filling during an outage).
        var latencies = new LatencyRecorder(batches.Length);
        var (appendTime, appendCpu) = await MeasureAsync(async () =>
        {
            foreach (var batch in batches)
            {
                var started = Stopwatch.GetTimestamp();
                await spool.AppendAsync(batch, CancellationToken.None);
                latencies.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            }
        });
        var diskBytes = Directory.GetFiles(Path.Combine(directory, "bench"), "*.seg").Sum(f => new FileInfo(f).Length);
        var (p50, p99, max) = latencies.Percentiles();

        // 2. Drain only (the sink back).
        var batchSize = batches[0].Length;
        var (drainTime, drainCpu) = await MeasureAsync(async () =>
        {
            var drained = 0;
            while (drained < events)
            {
                var records = await spool.PeekAsync(batchSize, long.MaxValue, CancellationToken.None);
                await spool.CommitAsync(records.Count, CancellationToken.None);
                drained += records.Count;
            }
        });

        // 3. Both at once: new events keep arriving while the backlog drains.
        var (bothTime, bothCpu) = await MeasureAsync(async () =>
        {
            var appending = Task.Run(async () =>
            {
                foreach (var batch in batches)
                {
                    await spool.AppendAsync(batch, CancellationToken.None);
                }
            });
            var drained = 0;
            while (drained < events)
            {
                await spool.WaitForRecordsAsync(CancellationToken.None);
                var records = await spool.PeekAsync(batchSize, long.MaxValue, CancellationToken.None);
                await spool.CommitAsync(records.Count, CancellationToken.None);
                drained += records.Count;
            }

            await appending;
        });

        if (!report)
        {
            return;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
              FlushToDisk {fsync}:
                append         {events / appendTime.TotalSeconds,12:N0} events/s  ({diskBytes / appendTime.TotalSeconds / (1 << 20):N0} MiB/s; batch p50 {p50:F2} ms, p99 {p99:F2} ms, max {max:F1} ms; CPU {appendCpu.TotalMicroseconds / events:F2} µs/event)
                drain          {events / drainTime.TotalSeconds,12:N0} records/s (peek+commit of {batchSize}; CPU {drainCpu.TotalMicroseconds / events:F2} µs/record)
                append+drain   {events / bothTime.TotalSeconds,12:N0} events/s through (CPU {bothCpu.TotalMicroseconds / events:F2} µs/event)
                disk           {diskBytes / (double)events:F1} bytes/record ({diskBytes / (1 << 20):N0} MiB for {events:N0})
            """));
    }

    private static async Task<(TimeSpan Wall, TimeSpan Cpu)> MeasureAsync(Func<Task> run)
    {
        var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await run();
        process.Refresh();
        return (clock.Elapsed, process.TotalProcessorTime - cpu);
    }

    /// <summary>Records made up front, so the measurement is the spool's work alone.</summary>
    private static SpoolRecord[][] MakeBatches(int events, int batchSize, int payloadBytes)
    {
        var payload = new byte[payloadBytes];
        Random.Shared.NextBytes(payload);
        var now = DateTimeOffset.UtcNow;
        return Enumerable.Range(0, (events + batchSize - 1) / batchSize)
            .Select(b => Enumerable.Range(b * batchSize, Math.Min(batchSize, events - (b * batchSize)))
                .Select(i => new SpoolRecord(Guid.CreateVersion7().ToString(), $"machine-{i % 16:D2}", now, payload))
                .ToArray())
            .ToArray();
    }

    private sealed class NoMeters : IMeterFactory
    {
        private readonly List<Meter> meters = [];

        public Meter Create(MeterOptions options)
        {
            var meter = new Meter(options);
            meters.Add(meter);
            return meter;
        }

        public void Dispose() => meters.ForEach(m => m.Dispose());
    }
}
