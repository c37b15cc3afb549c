using EdgeApp.Spool;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace EdgeApp.Tests.Spool;

public sealed class SpoolOverflowTests : IDisposable
{
    private readonly SpoolScope scope = new();

    public void Dispose() => scope.Dispose();

    [Fact]
    public async Task Backpressure_RefusesTheWholeBatch_UntilDrained()
    {
        await using var spool = scope.Open(scope.Options(maxBytes: 4096, segmentBytes: 1024));
        var accepted = new List<SpoolRecord>();
        var next = 0;
        SpoolFullException? full = null;
        while (full is null)
        {
            var batch = SpoolScope.Records(next, 5);
            try
            {
                await spool.AppendAsync(batch, CancellationToken.None);
                accepted.AddRange(batch);
                next += 5;
            }
            catch (SpoolFullException ex)
            {
                full = ex;
            }
        }

        Assert.Contains("Spool:MaxBytes", full.Message, StringComparison.Ordinal);
        Assert.Equal(accepted.Count, spool.Count);
        Assert.True(spool.Bytes <= 4096);

        var head = await spool.PeekAsync(10, long.MaxValue, CancellationToken.None);
        await spool.CommitAsync(head.Count, CancellationToken.None);
        await spool.AppendAsync(SpoolScope.Records(next, 5), CancellationToken.None);
        SpoolScope.AssertSame([.. accepted[10..], .. SpoolScope.Records(next, 5)], await SpoolScope.DrainAsync(spool));
    }

    [Fact]
    public async Task Backpressure_RefusesABatchLargerThanTheWholeSpool_AsAnArgument()
    {
        await using var spool = scope.Open(scope.Options(maxBytes: 2048, segmentBytes: 1024));

        var refused = await Assert.ThrowsAsync<ArgumentException>(async () => await spool.AppendAsync(SpoolScope.Records(0, 100), CancellationToken.None));

        Assert.IsNotType<SpoolRecordTooLargeException>(refused);
        Assert.Contains("smaller batches", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, spool.Count);
    }

    [Fact]
    public async Task DropOldest_KeepsTheNewestRecords_InOrder_AndCountsTheDropped()
    {
        using var dropped = new MetricCollector<long>(scope.Meters, SpoolMetrics.MeterName, "edgeapp.spool.dropped");
        await using var spool = scope.Open(scope.Options(maxBytes: 4096, segmentBytes: 1024, overflow: SpoolOverflow.DropOldest));
        var all = SpoolScope.Records(0, 500);

        foreach (var batch in all.Chunk(3))
        {
            await spool.AppendAsync(batch, CancellationToken.None);
            Assert.True(spool.Bytes <= 4096, $"spool holds {spool.Bytes} bytes");
        }

        var kept = await SpoolScope.DrainAsync(spool);
        Assert.True(kept.Count > 30, $"kept {kept.Count}");
        SpoolScope.AssertSame(all[^kept.Count..], kept);
        Assert.Equal(all.Count - kept.Count, dropped.GetMeasurementSnapshot().EvaluateAsCounter());
        Assert.All(dropped.GetMeasurementSnapshot(), m => Assert.Equal("test", m.Tags["spool"]));
        Assert.True(scope.SegmentFiles().Length <= 6, $"{scope.SegmentFiles().Length} segment files left");
    }

    [Fact]
    public async Task DropOldest_WithABatchLargerThanTheSpool_KeepsTheBatchsNewestRecords()
    {
        using var dropped = new MetricCollector<long>(scope.Meters, SpoolMetrics.MeterName, "edgeapp.spool.dropped");
        await using var spool = scope.Open(scope.Options(maxBytes: 2048, segmentBytes: 1024, overflow: SpoolOverflow.DropOldest));
        await spool.AppendAsync(SpoolScope.Records(0, 5), CancellationToken.None);
        var batch = SpoolScope.Records(5, 100);

        await spool.AppendAsync(batch, CancellationToken.None);

        var kept = await SpoolScope.DrainAsync(spool);
        SpoolScope.AssertSame(batch[^kept.Count..], kept);
        Assert.Equal(105 - kept.Count, dropped.GetMeasurementSnapshot().EvaluateAsCounter());
    }

    [Fact]
    public async Task DropOldest_OfRecordsBeingDrained_LetsTheirCommitPassWithoutCountingThemTwice()
    {
        using var drained = new MetricCollector<long>(scope.Meters, SpoolMetrics.MeterName, "edgeapp.spool.drained");
        await using var spool = scope.Open(scope.Options(maxBytes: 2048, segmentBytes: 1024, overflow: SpoolOverflow.DropOldest));
        await spool.AppendAsync(SpoolScope.Records(0, 10, payloadBytes: 150), CancellationToken.None);
        var peeked = await spool.PeekAsync(10, long.MaxValue, CancellationToken.None);

        // 10 records of ~190 bytes fill the 2048; 5 more push the 5 oldest out, all of them already peeked.
        await spool.AppendAsync(SpoolScope.Records(10, 5, payloadBytes: 150), CancellationToken.None);
        Assert.Equal(10, spool.Count);
        await spool.CommitAsync(peeked.Count, CancellationToken.None);

        Assert.Equal(10, peeked.Count);
        Assert.Equal(5, spool.Count);
        Assert.Equal(5, drained.GetMeasurementSnapshot().EvaluateAsCounter());
        SpoolScope.AssertSame(SpoolScope.Records(10, 5, payloadBytes: 150), await SpoolScope.DrainAsync(spool));
    }

    [Theory]
    [InlineData(SpoolOverflow.Backpressure)]
    [InlineData(SpoolOverflow.DropOldest)]
    public async Task RecordLargerThanTheSpool_IsRefused_UnderEitherPolicy_AndNothingOfItsBatchWritten(SpoolOverflow overflow)
    {
        await using var spool = scope.Open(scope.Options(maxBytes: 4096, segmentBytes: 1024, overflow: overflow));
        await spool.AppendAsync(SpoolScope.Records(0, 3), CancellationToken.None);

        var refused = await Assert.ThrowsAsync<SpoolRecordTooLargeException>(
            async () => await spool.AppendAsync([SpoolScope.Record(3), SpoolScope.Record(4, payloadBytes: 5000)], CancellationToken.None));

        Assert.Equal("id-4", refused.RecordId);
        Assert.Contains("Spool:MaxBytes", refused.Message, StringComparison.Ordinal);
        SpoolScope.AssertSame(SpoolScope.Records(0, 3), await SpoolScope.DrainAsync(spool));
    }

    [Fact]
    public async Task RecordLargerThanASegment_GetsASegmentOfItsOwn()
    {
        await using var spool = scope.Open(scope.Options(maxBytes: 1 << 20, segmentBytes: 1024));
        var records = new List<SpoolRecord> { SpoolScope.Record(0), SpoolScope.Record(1, payloadBytes: 3000), SpoolScope.Record(2) };

        await spool.AppendAsync(records, CancellationToken.None);

        Assert.Equal(3, scope.SegmentFiles().Length);
        SpoolScope.AssertSame(records, await SpoolScope.DrainAsync(spool));
    }
}
