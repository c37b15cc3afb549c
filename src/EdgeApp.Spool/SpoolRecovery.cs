namespace EdgeApp.Spool;

/// <summary>What recovery hands the spool: its segments (oldest first), where draining resumes, and the totals.</summary>
internal sealed record RecoveredSpool(
    List<SpoolSegment> Segments,
    SpoolPosition Head,
    long NextSegment,
    long Records,
    long Bytes,
    DateTimeOffset? Oldest,
    SpoolRecoveryReport Report);

/// <summary>
/// Rebuilds a spool's state from its directory. Every record from the checkpoint on is validated; damage followed
/// by a valid record is skipped and counted as corrupt, damage running to the end of a segment is a torn tail and
/// is cut. Only I/O failures throw; bad bytes never do.
/// </summary>
internal static class SpoolRecovery
{
    public static RecoveredSpool Recover(string directory, string name, SpoolOptions options, byte[] window, ILogger logger)
    {
        // A crash while replacing the checkpoint leaves the old one (or none) in place: the temporary file is moot.
        File.Delete(Path.Combine(directory, SpoolCheckpoint.TempFileName));

        var numbers = Directory.EnumerateFiles(directory)
            .Select(path => SpoolSegment.TryParseNumber(Path.GetFileName(path), out var number) ? number : 0)
            .Where(number => number > 0)
            .Order()
            .ToList();
        var checkpoint = SpoolCheckpoint.TryRead(directory, out var problem);
        if (problem is not null)
        {
            SpoolLog.CheckpointUnusable(logger, name, problem);
        }

        var next = Math.Max(numbers.LastOrDefault(), checkpoint?.Segment ?? 0) + 1;
        var head = checkpoint ?? new SpoolPosition(numbers.FirstOrDefault(next), 0);
        var segments = new List<SpoolSegment>();
        long records = 0, bytes = 0, corrupt = 0, torn = 0;
        DateTimeOffset? oldest = null;
        foreach (var number in numbers)
        {
            var path = Path.Combine(directory, SpoolSegment.FileName(number));
            if (number < head.Segment)
            {
                // Drained before the crash but not yet deleted.
                TryDelete(path);
                continue;
            }

            if (segments.Count == 0 && number > head.Segment)
            {
                // The checkpoint's segment is gone (deleted once drained): resume at the next one's start.
                head = new SpoolPosition(number, 0);
            }

            var segment = new SpoolSegment(number, path);
            var start = number == head.Segment ? head.Offset : 0;
            var scan = Scan(segment, start, window, name, logger);
            if (number == head.Segment && head.Offset > segment.Length)
            {
                head = head with { Offset = segment.Length };
            }

            records += segment.LiveRecords;
            bytes += segment.LiveBytes;
            corrupt += scan.Corrupt;
            torn += scan.Torn;
            oldest ??= scan.Oldest;
            segment.Sealed = !scan.Cut;
            segments.Add(segment);
        }

        // Appends go on in the last segment while it has room; every earlier one is complete.
        for (var i = 0; i < segments.Count - 1; i++)
        {
            segments[i].Sealed = true;
        }

        if (segments.Count == 0)
        {
            head = new SpoolPosition(next, 0);
        }
        else if (segments[^1].Length >= options.SegmentBytes)
        {
            segments[^1].Sealed = true;
        }

        var report = new SpoolRecoveryReport(records, corrupt, torn);
        if (corrupt > 0 || torn > 0)
        {
            SpoolLog.RecoveredDamaged(logger, name, records, corrupt, torn);
        }
        else
        {
            SpoolLog.Recovered(logger, name, records, bytes, segments.Count);
        }

        return new RecoveredSpool(segments, head, next, records, bytes, oldest, report);
    }

    /// <summary>Validates one segment from <paramref name="start"/>; <c>Cut</c> is false if a torn tail could not be cut.</summary>
    private static (long Corrupt, long Torn, DateTimeOffset? Oldest, bool Cut) Scan(SpoolSegment segment, long start, byte[] window, string name, ILogger logger)
    {
        using var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        var fileLength = RandomAccess.GetLength(handle);
        var reader = new SegmentReader(handle, fileLength, window);
        long position = Math.Min(start, fileLength), corrupt = 0;
        DateTimeOffset? oldest = null;
        while (true)
        {
            var result = RecordScanner.Next(reader, position, out var frame);
            if (result == ScanResult.Valid)
            {
                oldest ??= frame.Layout.EnqueuedAt;
                segment.LiveRecords++;
                segment.LiveBytes += frame.FramedSize;
                position = frame.End;
                continue;
            }

            if (result == ScanResult.End)
            {
                break;
            }

            // A good header vouches for its length, so a bad body is stepped over whole; otherwise resynchronise.
            var resume = result == ScanResult.BadBody ? frame.End : RecordScanner.FindNextValid(reader, position + 1);
            if (resume is null)
            {
                break; // nothing valid follows: the rest is a torn tail
            }

            corrupt++;
            segment.AddSkip(position, resume.Value);
            position = resume.Value;
        }

        segment.Length = position;
        var cut = true;
        if (position < fileLength)
        {
            try
            {
                RandomAccess.SetLength(handle, position);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Readers stop at Length either way; the segment only must not take appends after the torn bytes.
                SpoolLog.TruncateFailed(logger, name, segment.Path, position, ex.Message);
                cut = false;
            }
        }

        return (corrupt, fileLength - position, oldest, cut);
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Left for the next open; it lies before the checkpoint and is never read.
        }
    }
}
