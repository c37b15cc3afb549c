using EdgeApp.Spool;
using EdgeApp.Tests.Infrastructure;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EdgeApp.Tests.Spool;

public sealed class SpoolMetricsTests : IDisposable
{
    private readonly SpoolScope scope = new();

    public void Dispose() => scope.Dispose();

    [Fact]
    public async Task Gauges_ShowDepthBytesAndAgeOfTheOldest_PerSpool()
    {
        // Meters of its own: the scope's SpoolMetrics would publish a second, idle set of the same instruments.
        using var meters = new TestMeterFactory();
        var now = SpoolScope.Record(0).EnqueuedAt.AddSeconds(90);
        var metrics = new SpoolMetrics(meters, new FixedTime(now));
        using var depth = new MetricCollector<long>(meters, SpoolMetrics.MeterName, "edgeapp.spool.depth");
        using var bytes = new MetricCollector<long>(meters, SpoolMetrics.MeterName, "edgeapp.spool.bytes");
        using var age = new MetricCollector<double>(meters, SpoolMetrics.MeterName, "edgeapp.spool.oldest_age");
        var spool = DiskSpool.Open(SpoolScope.Name, scope.Options(), metrics, scope.Logger);

        await spool.AppendAsync(SpoolScope.Records(0, 10), CancellationToken.None);
        await spool.PeekAsync(4, long.MaxValue, CancellationToken.None);
        await spool.CommitAsync(4, CancellationToken.None);
        Observe(depth, bytes, age);

        Assert.Equal(6, depth.LastMeasurement!.Value);
        Assert.Equal("test", depth.LastMeasurement.Tags["spool"]);
        Assert.Equal(spool.Bytes, bytes.LastMeasurement!.Value);
        Assert.Equal(90 - 0.004, age.LastMeasurement!.Value, precision: 6);

        await SpoolScope.DrainAsync(spool);
        Observe(depth, bytes, age);
        Assert.Equal(0, depth.LastMeasurement.Value);
        Assert.Equal(0, age.LastMeasurement.Value);

        await spool.DisposeAsync();
        var before = depth.GetMeasurementSnapshot().Count;
        depth.RecordObservableInstruments();
        Assert.Equal(before, depth.GetMeasurementSnapshot().Count);
    }

    [Fact]
    public async Task Counters_CountAppendedDrainedAndCorrupt()
    {
        using var appended = Collect<long>("edgeapp.spool.appended");
        using var drained = Collect<long>("edgeapp.spool.drained");
        using var corrupt = Collect<long>("edgeapp.spool.corrupt");
        await using (var spool = scope.Open())
        {
            await spool.AppendAsync(SpoolScope.Records(0, 7), CancellationToken.None);
            await spool.AppendAsync(SpoolScope.Records(7, 5), CancellationToken.None);
            await spool.PeekAsync(3, long.MaxValue, CancellationToken.None);
            await spool.CommitAsync(3, CancellationToken.None);
        }

        var path = scope.SegmentFiles().Single();
        var bytes = File.ReadAllBytes(path);
        bytes[^5] ^= 1; // inside the last record's payload
        await File.WriteAllBytesAsync(path, bytes);
        await using (var spool = scope.Open())
        {
            Assert.Equal(1, spool.Recovery.CorruptRecordsSkipped);
        }

        Assert.Equal(12, appended.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(3, drained.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.Equal(1, corrupt.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(appended.GetMeasurementSnapshot(), m => Assert.Equal("test", m.Tags["spool"]));
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct => new(scope.Meters, SpoolMetrics.MeterName, instrument);

    private static void Observe(MetricCollector<long> depth, MetricCollector<long> bytes, MetricCollector<double> age)
    {
        depth.RecordObservableInstruments();
        bytes.RecordObservableInstruments();
        age.RecordObservableInstruments();
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
