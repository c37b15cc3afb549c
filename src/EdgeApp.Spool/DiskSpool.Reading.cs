namespace EdgeApp.Spool;

/// <summary>The drain side: walking records from the head, releasing drained segments, the persisted position.</summary>
public sealed partial class DiskSpool
{
    /// <summary>
    /// Moves <paramref name="position"/> to the next valid published record at or after it, crossing into later
    /// segments; false when there is none yet. Damage found here (after recovery validated the segment) is skipped,
    /// counted and remembered, so it is judged once.
    /// </summary>
    private bool TryNext(ref SpoolPosition position, out RecordFrame frame, out SpoolSegment segment)
    {
        while (true)
        {
            long limit;
            bool isSealed;
            SpoolSegment? next = null;
            lock (sync)
            {
                var index = 0;
                while (index < segments.Count && segments[index].Number < position.Segment)
                {
                    index++;
                }

                if (index == segments.Count)
                {
                    frame = default;
                    segment = null!;
                    return false;
                }

                segment = segments[index];
                next = index + 1 < segments.Count ? segments[index + 1] : null;
                limit = segment.Length;
                isSealed = segment.Sealed;
            }

            if (segment.Number != position.Segment)
            {
                position = new SpoolPosition(segment.Number, 0);
            }

            if (position.Offset >= limit)
            {
                if (isSealed && next is not null)
                {
                    position = new SpoolPosition(next.Number, 0);
                    continue;
                }

                frame = default;
                return false;
            }

            if (segment.TrySkip(position.Offset, out var skipTo))
            {
                position = position with { Offset = skipTo };
                continue;
            }

            var source = ReaderFor(segment, limit);
            var result = RecordScanner.Next(source, position.Offset, out frame);
            if (result == ScanResult.Valid)
            {
                return true;
            }

            var resume = (result == ScanResult.BadBody ? frame.End : RecordScanner.FindNextValid(source, position.Offset + 1)) ?? limit;
            segment.AddSkip(position.Offset, resume);
            metrics.Corrupt.Add(1, Tag);
            SpoolLog.CorruptWhileDraining(logger, Name, segment.Number, position.Offset, resume - position.Offset);
            position = position with { Offset = resume };
        }
    }

    /// <summary>Reads a record <see cref="TryNext"/> just validated (its segment's reader is current).</summary>
    private SpoolRecord Decode(in RecordFrame frame)
    {
        var source = reader!;
        var layout = frame.Layout;
        var bodyAt = frame.Offset + SpoolFormat.HeaderSize;
        var prefix = source.Read(bodyAt, layout.PayloadOffset);
        if (prefix.Length < layout.PayloadOffset)
        {
            throw Shrunk();
        }

        var (id, key) = SpoolFormat.ReadKeys(prefix, layout);
        var payload = new byte[layout.PayloadLength];
        var payloadAt = bodyAt + layout.PayloadOffset;
        if (payload.Length <= source.WindowSize)
        {
            var bytes = source.Read(payloadAt, payload.Length);
            if (bytes.Length < payload.Length)
            {
                throw Shrunk();
            }

            bytes.CopyTo(payload);
        }
        else if (!source.ReadExact(payloadAt, payload))
        {
            throw Shrunk();
        }

        return new SpoolRecord(id, key, layout.EnqueuedAt, payload);

        IOException Shrunk() => new($"Spool '{Name}' segment '{readerSegment?.Path}' got shorter while being read; something else changed it.");
    }

    private SegmentReader ReaderFor(SpoolSegment segment, long limit)
    {
        if (reader is null || readerSegment != segment)
        {
            reader?.Dispose();
            reader = null;
            var handle = File.OpenHandle(segment.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            reader = new SegmentReader(handle, limit, window);
            readerSegment = segment;
        }

        reader.Limit = limit;
        return reader;
    }

    /// <summary>Takes drained segments off the list, moving the head past them; the caller deletes their files.</summary>
    private List<SpoolSegment> ReleaseDrainedSegments()
    {
        var released = new List<SpoolSegment>();
        lock (sync)
        {
            while (segments.Count > 0)
            {
                var first = segments[0];
                var drained = first.Number < head.Segment || (first.Sealed && first.Number == head.Segment && head.Offset >= first.Length);
                if (!drained)
                {
                    break;
                }

                segments.RemoveAt(0);

                // Whatever its counters still hold was lost to damage found while draining.
                Consume(first, first.LiveBytes, first.LiveRecords);
                released.Add(first);
                if (head.Segment == first.Number)
                {
                    head = new SpoolPosition(segments.Count > 0 ? segments[0].Number : nextSegment, 0);
                }
            }
        }

        return released;
    }

    private void DeleteSegments(List<SpoolSegment> released)
    {
        foreach (var segment in released)
        {
            if (readerSegment == segment)
            {
                reader?.Dispose();
                reader = null;
                readerSegment = null;
            }

            try
            {
                File.Delete(segment.Path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                SpoolLog.DeleteFailed(logger, Name, segment.Path, ex.Message);
            }
        }
    }

    /// <summary>Sets <see cref="OldestEnqueuedAt"/> after the head moved: from the next peeked record, else from disk.</summary>
    private void RefreshOldest()
    {
        SpoolPosition position;
        bool any;
        lock (sync)
        {
            position = head;
            any = count > 0;
        }

        DateTimeOffset? first = null;
        if (peeked.Count > 0 && peeked[0].Start >= position)
        {
            first = peeked[0].EnqueuedAt;
        }
        else if (any && TryNext(ref position, out var frame, out _))
        {
            first = frame.Layout.EnqueuedAt;
        }

        lock (sync)
        {
            // An append into an empty spool sets the time itself; only a known head time replaces it.
            if (count == 0)
            {
                oldest = null;
            }
            else if (first is not null)
            {
                oldest = first;
            }
        }
    }

    private void PersistHead()
    {
        SpoolPosition position;
        lock (sync)
        {
            position = head;
        }

        try
        {
            SpoolCheckpoint.Write(directory, position, options.FlushToDisk);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            SpoolLog.CheckpointFailed(logger, Name, ex.Message);
        }
    }

    /// <summary>
    /// A peek that found nothing up to the end of the newest segment proves nothing readable is waiting: counters
    /// left above zero by damage found while draining are reset, so waiters do not spin.
    /// </summary>
    private void ForgetUnreadable(SpoolPosition reached)
    {
        lock (sync)
        {
            if (count == 0 || (segments.Count > 0 && (reached.Segment != segments[^1].Number || reached.Offset < segments[^1].Length)))
            {
                return;
            }

            foreach (var segment in segments)
            {
                Consume(segment, segment.LiveBytes, segment.LiveRecords);
            }

            count = 0;
            bytes = 0;
            oldest = null;
        }
    }

    /// <summary>Takes records off the counters; call under <see cref="sync"/>.</summary>
    private void Consume(SpoolSegment segment, long framedBytes, long records = 1)
    {
        segment.LiveRecords -= records;
        segment.LiveBytes -= framedBytes;
        count = Math.Max(0, count - records);
        bytes = Math.Max(0, bytes - framedBytes);
    }
}
