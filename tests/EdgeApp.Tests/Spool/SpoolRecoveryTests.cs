using System.Buffers.Binary;
using System.IO.Hashing;
using EdgeApp.Spool;
using Microsoft.Extensions.Logging;

namespace EdgeApp.Tests.Spool;

public sealed class SpoolRecoveryTests : IDisposable
{
    private readonly SpoolScope scope = new();

    public void Dispose() => scope.Dispose();

    [Theory]
    [InlineData(1L << 20)] // everything in one segment
    [InlineData(1024L)]    // the torn segment is the newest of several
    public async Task TornTail_IsCut_AtEveryByteOffsetOfTheLastRecords_AndAppendsContinue(long segmentBytes)
    {
        var options = scope.Options(segmentBytes: segmentBytes);
        var expected = SpoolScope.Records(0, 30);
        var extra = SpoolScope.Record(1000);
        await AppendOneByOneAsync(options, expected);
        var files = Snapshot();
        var last = files.Keys.Max(StringComparer.Ordinal)!;
        var ends = RecordEnds(files[last]);
        var before = expected.Count - ends.Count;
        var from = ends.Count > 3 ? ends[^4] : 0;

        for (var cut = from; cut <= files[last].Length; cut++)
        {
            Restore(files, last, files[last][..(int)cut]);
            var complete = ends.Count(end => end <= cut);
            var kept = complete == 0 ? 0 : ends[complete - 1];

            await using var spool = scope.Open(options);

            Assert.Equal(new SpoolRecoveryReport(before + complete, 0, cut - kept), spool.Recovery);
            Assert.Equal(kept, new FileInfo(last).Length);
            await spool.AppendAsync([extra], CancellationToken.None);
            SpoolScope.AssertSame([.. expected[..(before + complete)], extra], await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task FlippedBit_AnywhereInARecord_SkipsAndCountsThatRecord_KeepingAllOthers()
    {
        var expected = SpoolScope.Records(0, 30);
        await AppendOneByOneAsync(scope.Options(), expected);
        var files = Snapshot();
        var path = files.Keys.Single();
        var ends = RecordEnds(files[path]);

        for (var at = ends[11]; at < ends[12]; at++)
        {
            var damaged = (byte[])files[path].Clone();
            damaged[at] ^= 0x10;
            Restore(files, path, damaged);

            await using var spool = scope.Open();

            Assert.Equal(new SpoolRecoveryReport(29, 1, 0), spool.Recovery);
            SpoolScope.AssertSame([.. expected[..12], .. expected[13..]], await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task DamagedStretch_AcrossRecordsInTheMiddle_IsSkipped_AndTheRecordsAfterItKept()
    {
        var expected = SpoolScope.Records(0, 30);
        await AppendOneByOneAsync(scope.Options(), expected);
        var path = scope.SegmentFiles().Single();
        var bytes = File.ReadAllBytes(path);
        var ends = RecordEnds(bytes);
        Array.Fill(bytes, (byte)0xE5, (int)ends[9] + 7, (int)(ends[11] - ends[9]));
        await File.WriteAllBytesAsync(path, bytes);

        await using var spool = scope.Open();

        Assert.Equal(27, spool.Recovery.RecordsRecovered);
        Assert.InRange(spool.Recovery.CorruptRecordsSkipped, 1, 3);
        Assert.Equal(0, spool.Recovery.TornBytesTruncated);
        SpoolScope.AssertSame([.. expected[..10], .. expected[13..]], await SpoolScope.DrainAsync(spool));
    }

    [Theory]
    [InlineData(0xFFFFFFFFu, false)] // plain garbage: the header checksum no longer matches
    [InlineData(0x7FFFFFF0u, true)]  // forged with a matching header checksum: longer than any array
    [InlineData(0x40000000u, true)]  // forged: a plausible 1 GiB, far past the end of the file
    [InlineData(0x00000100u, false)] // small and plausible, but unchecksummed
    public async Task GarbageLength_IsNeverTrusted_OrAllocated(uint length, bool forgeChecksum)
    {
        var expected = SpoolScope.Records(0, 30);
        await AppendOneByOneAsync(scope.Options(), expected);
        var path = scope.SegmentFiles().Single();
        var bytes = File.ReadAllBytes(path);
        var ends = RecordEnds(bytes);
        SetLength(bytes, (int)ends[11], length, forgeChecksum);
        await File.WriteAllBytesAsync(path, bytes);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        await using var spool = scope.Open();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        Assert.True(allocated < 8 << 20, $"opening allocated {allocated:N0} bytes");
        Assert.Equal(new SpoolRecoveryReport(29, 1, 0), spool.Recovery);
        SpoolScope.AssertSame([.. expected[..12], .. expected[13..]], await SpoolScope.DrainAsync(spool));
    }

    [Fact]
    public async Task GarbageLength_InTheLastRecord_IsATornTail()
    {
        var expected = SpoolScope.Records(0, 10);
        await AppendOneByOneAsync(scope.Options(), expected);
        var path = scope.SegmentFiles().Single();
        var bytes = File.ReadAllBytes(path);
        var ends = RecordEnds(bytes);
        SetLength(bytes, (int)ends[8], 0x7FFFFFF0u, forgeChecksum: true);
        await File.WriteAllBytesAsync(path, bytes);

        await using var spool = scope.Open();

        Assert.Equal(new SpoolRecoveryReport(9, 0, ends[9] - ends[8]), spool.Recovery);
        SpoolScope.AssertSame(expected[..9], await SpoolScope.DrainAsync(spool));
    }

    [Fact]
    public async Task ZeroFilledTail_LikeAPowerLossCanLeave_IsCut()
    {
        var expected = SpoolScope.Records(0, 10);
        await AppendOneByOneAsync(scope.Options(), expected);
        var path = scope.SegmentFiles().Single();
        await using (var file = new FileStream(path, FileMode.Append))
        {
            file.Write(new byte[4096]);
        }

        await using var spool = scope.Open();

        Assert.Equal(new SpoolRecoveryReport(10, 0, 4096), spool.Recovery);
        SpoolScope.AssertSame(expected, await SpoolScope.DrainAsync(spool));
    }

    [Fact]
    public async Task RecordsLargerThanTheReadWindow_AreValidatedInPieces_AndDamageInThemCounted()
    {
        var options = scope.Options(maxBytes: 64L << 20, segmentBytes: 1L << 20);
        List<SpoolRecord> expected = [SpoolScope.Record(0), SpoolScope.Record(1, payloadBytes: 3 << 20), SpoolScope.Record(2, payloadBytes: (3 << 20) + 17), SpoolScope.Record(3)];
        await AppendOneByOneAsync(options, expected);

        await using (var spool = scope.Open(options))
        {
            Assert.Equal(new SpoolRecoveryReport(4, 0, 0), spool.Recovery);
            SpoolScope.AssertSame(expected, await spool.PeekAsync(10, long.MaxValue, CancellationToken.None));
        }

        var big = scope.SegmentFiles()[1];
        using (var handle = File.OpenHandle(big, FileMode.Open, FileAccess.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[] { 0xAA }, 2 << 20); // deep inside the 3 MiB payload
        }

        await using (var spool = scope.Open(options))
        {
            Assert.Equal(new SpoolRecoveryReport(3, 1, 0), spool.Recovery);
            SpoolScope.AssertSame([expected[0], expected[2], expected[3]], await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task Damage_IsLoggedOnce_WithTheNumbers()
    {
        await AppendOneByOneAsync(scope.Options(), SpoolScope.Records(0, 10));
        var path = scope.SegmentFiles().Single();
        var bytes = File.ReadAllBytes(path);
        var ends = RecordEnds(bytes);
        bytes[(int)ends[3] + 20] ^= 1;
        await File.WriteAllBytesAsync(path, [.. bytes, 1, 2, 3]);
        scope.Logger.Collector.Clear();

        await using var spool = scope.Open();

        var log = Assert.Single(scope.Logger.Collector.GetSnapshot());
        Assert.Equal(LogLevel.Warning, log.Level);
        Assert.Equal("Spool test recovered 9 records; skipped 1 corrupt records and cut 3 torn bytes", log.Message);
    }

    [Fact]
    public async Task MissingCheckpoint_DeliversEverythingAgainFromTheOldestSegment()
    {
        var expected = SpoolScope.Records(0, 20);
        await using (var spool = scope.Open())
        {
            await spool.AppendAsync(expected, CancellationToken.None);
            await spool.PeekAsync(5, long.MaxValue, CancellationToken.None);
            await spool.CommitAsync(5, CancellationToken.None);
        }

        File.Delete(scope.CheckpointPath);

        await using (var spool = scope.Open())
        {
            Assert.Equal(new SpoolRecoveryReport(20, 0, 0), spool.Recovery);
            SpoolScope.AssertSame(expected, await SpoolScope.DrainAsync(spool));
        }
    }

    [Theory]
    [InlineData("garbage of the right size")]
    [InlineData("truncated")]
    [InlineData("empty")]
    [InlineData("one bit flipped")]
    public async Task CorruptCheckpoint_DeliversEverythingAgain_AndSaysSo(string damage)
    {
        var expected = SpoolScope.Records(0, 20);
        await using (var spool = scope.Open())
        {
            await spool.AppendAsync(expected, CancellationToken.None);
            await spool.PeekAsync(5, long.MaxValue, CancellationToken.None);
            await spool.CommitAsync(5, CancellationToken.None);
        }

        var checkpoint = File.ReadAllBytes(scope.CheckpointPath);
        byte[] damaged = damage switch
        {
            "garbage of the right size" => [.. Enumerable.Range(0, checkpoint.Length).Select(i => (byte)(i * 37))],
            "truncated" => checkpoint[..10],
            "empty" => [],
            _ => [.. checkpoint[..16], (byte)(checkpoint[16] ^ 4), .. checkpoint[17..]],
        };
        await File.WriteAllBytesAsync(scope.CheckpointPath, damaged);

        await using (var spool = scope.Open())
        {
            Assert.Equal(20, spool.Recovery.RecordsRecovered);
            Assert.Contains(scope.Logger.Collector.GetSnapshot(), log => log.Level == LogLevel.Warning && log.Message.Contains("checkpoint is unusable", StringComparison.Ordinal));
            SpoolScope.AssertSame(expected, await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task DrainedSegmentsLeftBehindByACrash_AreDeleted_NotDeliveredAgain()
    {
        var options = scope.Options(segmentBytes: 1024);
        var expected = SpoolScope.Records(0, 60);
        await using (var spool = scope.Open(options))
        {
            await spool.AppendAsync(expected, CancellationToken.None);
        }

        var oldest = scope.SegmentFiles()[0];
        var oldestBytes = File.ReadAllBytes(oldest);
        await using (var spool = scope.Open(options))
        {
            await spool.PeekAsync(30, long.MaxValue, CancellationToken.None);
            await spool.CommitAsync(30, CancellationToken.None);
        }

        Assert.False(File.Exists(oldest));
        await File.WriteAllBytesAsync(oldest, oldestBytes); // as if the process died between checkpoint and delete

        await using (var spool = scope.Open(options))
        {
            Assert.Equal(30, spool.Recovery.RecordsRecovered);
            Assert.False(File.Exists(oldest));
            SpoolScope.AssertSame(expected[30..], await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task CheckpointPastTheEndOfALostTail_DoesNotThrow_AndAppendsContinue()
    {
        await using (var spool = scope.Open())
        {
            await spool.AppendAsync(SpoolScope.Records(0, 10), CancellationToken.None);
            await SpoolScope.DrainAsync(spool);
        }

        var path = scope.SegmentFiles().Single();
        var length = new FileInfo(path).Length;
        File.WriteAllBytes(path, File.ReadAllBytes(path)[..(int)(length / 2)]); // FlushToDisk off and a power loss
        await File.WriteAllBytesAsync(Path.Combine(scope.SpoolDirectory, "checkpoint.tmp"), [1, 2, 3]);

        await using (var spool = scope.Open())
        {
            Assert.Equal(0, spool.Count);
            Assert.False(File.Exists(Path.Combine(scope.SpoolDirectory, "checkpoint.tmp")));
            await spool.AppendAsync(SpoolScope.Records(10, 3), CancellationToken.None);
            SpoolScope.AssertSame(SpoolScope.Records(10, 3), await SpoolScope.DrainAsync(spool));
        }
    }

    [Fact]
    public async Task DamageAppearingAfterOpen_IsSkippedAndCountedWhileDraining()
    {
        await using var spool = scope.Open();
        var expected = SpoolScope.Records(0, 30);
        await spool.AppendAsync(expected, CancellationToken.None);
        var path = scope.SegmentFiles().Single();
        var ends = RecordEnds(File.ReadAllBytes(path));
        using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite))
        {
            RandomAccess.Write(handle, new byte[] { 0x00 }, ends[19] + 30);
        }

        SpoolScope.AssertSame([.. expected[..20], .. expected[21..]], await SpoolScope.DrainAsync(spool));
        Assert.Equal(0, spool.Count);
        Assert.Contains(scope.Logger.Collector.GetSnapshot(), log => log.Message.Contains("damaged bytes", StringComparison.Ordinal));
    }

    private async Task AppendOneByOneAsync(SpoolOptions options, List<SpoolRecord> records)
    {
        await using var spool = scope.Open(options);
        foreach (var record in records)
        {
            await spool.AppendAsync([record], CancellationToken.None);
        }
    }

    /// <summary>Where each record ends, walking the framing of an undamaged segment.</summary>
    private static List<long> RecordEnds(byte[] segment)
    {
        var ends = new List<long>();
        for (long at = 0; at < segment.Length;)
        {
            at += SpoolFormat.HeaderSize + BinaryPrimitives.ReadUInt32LittleEndian(segment.AsSpan((int)at + 4));
            ends.Add(at);
        }

        return ends;
    }

    private static void SetLength(byte[] segment, int recordAt, uint length, bool forgeChecksum)
    {
        var header = segment.AsSpan(recordAt, SpoolFormat.HeaderSize);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], length);
        if (forgeChecksum)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32.HashToUInt32(header[..12]));
        }
    }

    private Dictionary<string, byte[]> Snapshot() => scope.SegmentFiles().ToDictionary(path => path, File.ReadAllBytes);

    /// <summary>Puts the spool directory back as snapshotted, with <paramref name="path"/> replaced by <paramref name="content"/>.</summary>
    private void Restore(Dictionary<string, byte[]> files, string path, byte[] content)
    {
        foreach (var file in Directory.GetFiles(scope.SpoolDirectory))
        {
            File.Delete(file);
        }

        foreach (var (name, bytes) in files)
        {
            File.WriteAllBytes(name, name == path ? content : bytes);
        }
    }
}
