using System.ComponentModel.DataAnnotations;
using EdgeApp.Spool;

namespace EdgeApp.Tests.Spool;

public sealed class DiskSpoolTests : IDisposable
{
    private readonly SpoolScope scope = new();

    public void Dispose() => scope.Dispose();

    [Fact]
    public async Task Drain_KeepsOrder_AcrossSegmentsAndReopens()
    {
        var options = scope.Options(segmentBytes: 1024);
        var expected = SpoolScope.Records(0, 300);
        var drained = new List<SpoolRecord>();

        await using (var spool = scope.Open(options))
        {
            foreach (var batch in expected.Take(200).Chunk(7))
            {
                await spool.AppendAsync(batch, CancellationToken.None);
            }

            Assert.True(scope.SegmentFiles().Length > 10, $"expected many segments, got {scope.SegmentFiles().Length}");
            Assert.Equal(200, spool.Count);
            var first = await spool.PeekAsync(90, long.MaxValue, CancellationToken.None);
            await spool.CommitAsync(first.Count, CancellationToken.None);
            drained.AddRange(first);
        }

        await using (var spool = scope.Open(options))
        {
            Assert.Equal(110, spool.Recovery.RecordsRecovered);
            Assert.Equal(110, spool.Count);
            await spool.AppendAsync(expected[200..], CancellationToken.None);
        }

        await using (var spool = scope.Open(options))
        {
            drained.AddRange(await SpoolScope.DrainAsync(spool, batch: 33));
            Assert.Equal(0, spool.Count);
            Assert.Equal(0, spool.Bytes);
            Assert.Null(spool.OldestEnqueuedAt);
        }

        SpoolScope.AssertSame(expected, drained);
        Assert.True(scope.SegmentFiles().Length <= 1, "drained segments are deleted, only the one being appended to stays");
    }

    [Fact]
    public async Task Peek_DoesNotRemove_AndCommitRemovesOnlyTheFirstPeeked()
    {
        await using var spool = scope.Open();
        var expected = SpoolScope.Records(0, 10);
        await spool.AppendAsync(expected, CancellationToken.None);

        var once = await spool.PeekAsync(5, long.MaxValue, CancellationToken.None);
        var twice = await spool.PeekAsync(5, long.MaxValue, CancellationToken.None);
        SpoolScope.AssertSame(expected[..5], once);
        SpoolScope.AssertSame(expected[..5], twice);
        Assert.Equal(10, spool.Count);

        await spool.CommitAsync(2, CancellationToken.None);
        Assert.Equal(8, spool.Count);
        Assert.Equal(expected[2].EnqueuedAt, spool.OldestEnqueuedAt);

        // The rest of the last peek can still be committed, then peeking resumes after it.
        await spool.CommitAsync(3, CancellationToken.None);
        SpoolScope.AssertSame(expected[5..], await spool.PeekAsync(100, long.MaxValue, CancellationToken.None));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await spool.CommitAsync(6, CancellationToken.None));
        Assert.Equal(5, spool.Count);
    }

    [Fact]
    public async Task Commit_WithoutAPeek_Throws()
    {
        await using var spool = scope.Open();
        await spool.AppendAsync(SpoolScope.Records(0, 3), CancellationToken.None);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(async () => await spool.CommitAsync(1, CancellationToken.None));
        await spool.CommitAsync(0, CancellationToken.None);
        Assert.Equal(3, spool.Count);
    }

    [Fact]
    public async Task Peek_StopsAtMaxBytesOfPayload_ButAlwaysReturnsOneRecord()
    {
        await using var spool = scope.Open();
        await spool.AppendAsync([SpoolScope.Record(0, 5000), .. SpoolScope.Records(1, 10, payloadBytes: 100)], CancellationToken.None);

        var oversize = await spool.PeekAsync(10, 1000, CancellationToken.None);
        Assert.Equal(["id-0"], oversize.Select(r => r.Id));
        Assert.Equal(5000, oversize[0].Payload.Length);
        await spool.CommitAsync(1, CancellationToken.None);

        var bounded = await spool.PeekAsync(10, 350, CancellationToken.None);
        Assert.Equal(["id-1", "id-2", "id-3"], bounded.Select(r => r.Id));
    }

    [Fact]
    public async Task Reopen_AfterAPartialCommit_ResumesAfterTheCommittedRecords()
    {
        var options = scope.Options(segmentBytes: 2048);
        var expected = SpoolScope.Records(0, 100);
        await using (var spool = scope.Open(options))
        {
            await spool.AppendAsync(expected, CancellationToken.None);
            var peeked = await spool.PeekAsync(60, long.MaxValue, CancellationToken.None);
            await spool.CommitAsync(37, CancellationToken.None);
            Assert.Equal(60, peeked.Count);
        }

        await using (var spool = scope.Open(options))
        {
            Assert.Equal(new SpoolRecoveryReport(63, 0, 0), spool.Recovery);
            Assert.Equal(expected[37].EnqueuedAt, spool.OldestEnqueuedAt);
            SpoolScope.AssertSame(expected[37..], await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task Bytes_CountsFramedRecords_AndFallsToZeroWhenDrained()
    {
        await using var spool = scope.Open();
        var records = SpoolScope.Records(0, 4);
        await spool.AppendAsync(records, CancellationToken.None);

        Assert.Equal(records.Sum(SpoolFormat.FramedSize), spool.Bytes);
        Assert.Equal(new FileInfo(scope.SegmentFiles().Single()).Length, spool.Bytes);
        await SpoolScope.DrainAsync(spool);
        Assert.Equal(0, spool.Bytes);
    }

    [Fact]
    public async Task WaitForRecords_CompletesOnAppend_AndAtOnceWhenNotEmpty()
    {
        await using var spool = scope.Open();
        var waiting = spool.WaitForRecordsAsync(CancellationToken.None);
        Assert.False(waiting.IsCompleted);

        await spool.AppendAsync([SpoolScope.Record(1)], CancellationToken.None);
        await waiting.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(spool.WaitForRecordsAsync(CancellationToken.None).IsCompletedSuccessfully);

        using var cancel = new CancellationTokenSource();
        await SpoolScope.DrainAsync(spool);
        var cancelled = spool.WaitForRecordsAsync(cancel.Token);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
    }

    [Fact]
    public async Task Dispose_FailsWaiters_AndLaterCalls()
    {
        var spool = scope.Open();
        var waiting = spool.WaitForRecordsAsync(CancellationToken.None);

        await spool.DisposeAsync();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => waiting.WaitAsync(TimeSpan.FromSeconds(10)));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await spool.AppendAsync([SpoolScope.Record(1)], CancellationToken.None));
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await spool.PeekAsync(1, 1, CancellationToken.None));
    }

    [Fact]
    public async Task Open_RefusesASecondOpenOfTheSameSpool_UntilTheFirstIsClosed()
    {
        var first = scope.Open();

        var refused = Assert.Throws<IOException>(() => scope.Open());
        Assert.Contains("already open", refused.Message, StringComparison.Ordinal);

        await first.DisposeAsync();
        await using var second = scope.Open();
    }

    [Fact]
    public async Task Append_WithFlushToDisk_IsReadableAfterReopen()
    {
        var options = scope.Options(segmentBytes: 1024, flushToDisk: true);
        var expected = SpoolScope.Records(0, 40);
        await using (var spool = scope.Open(options))
        {
            await spool.AppendAsync(expected, CancellationToken.None);
            var peeked = await spool.PeekAsync(10, long.MaxValue, CancellationToken.None);
            await spool.CommitAsync(peeked.Count, CancellationToken.None);
        }

        await using (var spool = scope.Open(options))
        {
            SpoolScope.AssertSame(expected[10..], await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task AppendFailure_LosesNothing_AndTheRetriedBatchIsHeldAtLeastOnce()
    {
        await using var spool = scope.Open(scope.Options(segmentBytes: 1024));
        var first = SpoolScope.Records(0, 10);
        var second = SpoolScope.Records(10, 10);
        await spool.AppendAsync(first, CancellationToken.None);

        // A directory where the next segment file must go: the batch's first records fit the current segment, the rest cannot be written.
        Directory.CreateDirectory(Path.Combine(scope.SpoolDirectory, "00000000000000000002.seg"));
        await Assert.ThrowsAnyAsync<IOException>(async () => await spool.AppendAsync(second, CancellationToken.None));
        Assert.Equal(12, spool.Count);
        await spool.AppendAsync(second, CancellationToken.None);

        SpoolScope.AssertSame([.. first, .. second[..2], .. second], await SpoolScope.DrainAsync(spool));
    }

    [Theory]
    [InlineData("", 1L << 30, 16L << 20, "Spool:Directory must be set.")]
    [InlineData("data", 100L, 100L, "Spool:MaxBytes must be at least 1024.")]
    [InlineData("data", 1L << 20, 100L, "Spool:SegmentBytes must be at least 1024.")]
    [InlineData("data", 1L << 20, 2L << 20, "Spool:SegmentBytes must not exceed Spool:MaxBytes.")]
    public void Open_RefusesInvalidOptions_NamingTheKey(string directory, long maxBytes, long segmentBytes, string message)
    {
        var options = new SpoolOptions { Directory = directory, MaxBytes = maxBytes, SegmentBytes = segmentBytes };

        var refused = Assert.Throws<ValidationException>(() => DiskSpool.Open("x", options, scope.Metrics, scope.Logger));
        Assert.Equal(message, refused.Message);
    }

    [Fact]
    public void Options_RefuseAnUndefinedOverflowPolicy()
    {
        var options = new SpoolOptions { Overflow = (SpoolOverflow)7 };
        var problems = new List<ValidationResult>();

        Assert.False(Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true));
        Assert.Equal("Spool:Overflow must be Backpressure or DropOldest.", Assert.Single(problems).ErrorMessage);
    }

    [Theory]
    [InlineData("")]
    [InlineData("..")]
    [InlineData("a/b")]
    [InlineData("sink name")]
    public void Open_RefusesNamesThatAreNotOneDirectory(string name) =>
        Assert.Throws<ArgumentException>(() => DiskSpool.Open(name, scope.Options(), scope.Metrics, scope.Logger));
}
