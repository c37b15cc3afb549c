namespace EdgeApp.Spool;

/// <summary>The append side: encoding into segments, rolling them, publishing to the drainer, dropping the oldest.</summary>
public sealed partial class DiskSpool
{
    /// <summary>Writes the records from <paramref name="first"/> on, one positional write (and fsync) per segment touched.</summary>
    private void Write(IReadOnlyList<SpoolRecord> records, long[] sizes, int first)
    {
        var i = first;
        while (i < records.Count)
        {
            var target = ActiveWriterFor(sizes[i]);
            var end = i;
            long chunk = 0;
            do
            {
                chunk += sizes[end++];
            }
            while (end < records.Count && target.Length + chunk + sizes[end] <= options.SegmentBytes && chunk + sizes[end] <= MaxChunkBytes);

            if (encodeBuffer.Length < chunk)
            {
                encodeBuffer = new byte[Math.Max(chunk, Math.Min(2L * encodeBuffer.Length, KeptEncodeBuffer))];
            }

            var at = 0;
            for (var r = i; r < end; r++)
            {
                SpoolFormat.Write(records[r], encodeBuffer.AsSpan(at, (int)sizes[r]));
                at += (int)sizes[r];
            }

            try
            {
                target.Append(encodeBuffer.AsSpan(0, at), options.FlushToDisk);
            }
            catch
            {
                // The segment's tail is now uncertain: seal it at what was published and start afresh next time.
                lock (sync)
                {
                    target.Segment.Sealed = true;
                }

                target.Dispose();
                writer = null;
                throw;
            }

            Publish(target.Segment, target.Length, end - i, chunk, records[i].EnqueuedAt);
            metrics.Appended.Add(end - i, Tag);
            i = end;
        }
    }

    /// <summary>The segment to append a record of <paramref name="size"/> bytes to: the current one if it has room, else a new one.</summary>
    private SegmentWriter ActiveWriterFor(long size)
    {
        if (writer is null && resumable is { } last)
        {
            resumable = null;
            bool open;
            lock (sync)
            {
                open = !last.Sealed;
            }

            if (open)
            {
                try
                {
                    writer = SegmentWriter.Resume(last, last.Length);
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    // Sealed, so the drainer moves on to the new segment started below.
                    lock (sync)
                    {
                        last.Sealed = true;
                    }
                }
            }
        }

        if (writer is { } current && (current.Length == 0 || current.Length + size <= options.SegmentBytes))
        {
            return current;
        }

        if (writer is not null)
        {
            lock (sync)
            {
                writer.Segment.Sealed = true;
            }

            writer.Dispose();
            writer = null;
        }

        // Numbered and listed in one step, so the drainer never moves its head past a segment about to be written.
        SpoolSegment segment;
        lock (sync)
        {
            segment = new SpoolSegment(nextSegment, Path.Combine(directory, SpoolSegment.FileName(nextSegment)));
            nextSegment++;
            segments.Add(segment);
        }

        try
        {
            writer = SegmentWriter.Create(segment);
            if (options.FlushToDisk)
            {
                DirectoryFlush.Flush(directory);
            }
        }
        catch
        {
            lock (sync)
            {
                segment.Sealed = true;
            }

            writer?.Dispose();
            writer = null;
            throw;
        }

        return writer;
    }

    private void Publish(SpoolSegment segment, long length, int records, long framed, DateTimeOffset firstEnqueuedAt)
    {
        TaskCompletionSource? woken;
        lock (sync)
        {
            segment.Length = length;
            segment.LiveRecords += records;
            segment.LiveBytes += framed;
            if (count == 0)
            {
                oldest = firstEnqueuedAt;
            }

            count += records;
            bytes += framed;
            woken = arrival;
            arrival = null;
        }

        woken?.TrySetResult();
    }

    /// <summary>Removes head records (whole sealed segments where they suffice) until <paramref name="incoming"/> bytes fit.</summary>
    private async ValueTask<long> DropOldestAsync(long incoming, CancellationToken ct)
    {
        await drainGate.WaitAsync(ct);
        try
        {
            long dropped = 0;
            var released = new List<SpoolSegment>();
            while (true)
            {
                SpoolPosition position;
                var wholeSegment = false;
                lock (sync)
                {
                    var excess = bytes + incoming - options.MaxBytes;
                    if (excess <= 0 || count == 0)
                    {
                        break;
                    }

                    // A sealed head segment that does not hold more than is needed goes whole, without reading it.
                    if (segments.Count > 0 && segments[0] is { Sealed: true } first && first.Number == head.Segment && first.LiveBytes <= excess)
                    {
                        dropped += first.LiveRecords;
                        Consume(first, first.LiveBytes, first.LiveRecords);
                        head = new SpoolPosition(first.Number, first.Length);
                        wholeSegment = true;
                    }

                    position = head;
                }

                if (!wholeSegment)
                {
                    if (!TryNext(ref position, out var frame, out var segment))
                    {
                        break;
                    }

                    lock (sync)
                    {
                        Consume(segment, frame.FramedSize);
                        head = new SpoolPosition(segment.Number, frame.End);
                    }

                    dropped++;
                }

                released.AddRange(ReleaseDrainedSegments());
            }

            if (dropped > 0 || released.Count > 0)
            {
                RefreshOldest();
                PersistHead();
                DeleteSegments(released);
            }

            return dropped;
        }
        finally
        {
            drainGate.Release();
        }
    }
}
