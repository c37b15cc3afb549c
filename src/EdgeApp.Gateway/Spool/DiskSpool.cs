using System.ComponentModel.DataAnnotations;
using Microsoft.Win32.SafeHandles;

namespace EdgeApp.Gateway.Spool;

/// <summary>
/// A store-and-forward queue on disk: records are appended to segment files in order and drained from the head with
/// peek and commit, at least once across crashes. One appender and one drainer may run at the same time; each
/// side is also serialised internally, so extra callers wait rather than corrupt anything.
/// </summary>
/// <remarks>
/// Directory layout: <c>{Spool:Directory}/{name}/</c> holds <c>NNNNNNNNNNNNNNNNNNNN.seg</c> segment files (framing in
/// <see cref="SpoolFormat"/>), <c>checkpoint</c> (the read position, see <see cref="SpoolCheckpoint"/>) and <c>lock</c>,
/// held exclusively while the spool is open so no two processes share a spool. Lock order: append gate, drain gate,
/// then the state lock, which is only ever held for bookkeeping, never across I/O.
/// </remarks>
public sealed class DiskSpool : IAsyncDisposable
{
    private const int WindowBytes = 1 << 20;
    private const int KeptEncodeBuffer = 4 << 20;
    private const long MaxChunkBytes = 16 << 20;

    private readonly string directory;
    private readonly SpoolOptions options;
    private readonly SpoolMetrics metrics;
    private readonly ILogger logger;
    private readonly SafeFileHandle directoryLock;
    private readonly SemaphoreSlim appendGate = new(1, 1);
    private readonly SemaphoreSlim drainGate = new(1, 1);
    private readonly Lock sync = new();

    // Guarded by sync.
    private readonly List<SpoolSegment> segments;
    private SpoolPosition head;
    private long nextSegment;
    private long count;
    private long bytes;
    private DateTimeOffset? oldest;
    private TaskCompletionSource? arrival;
    private bool disposed;

    // Owned by the drain gate.
    private readonly byte[] window;
    private readonly List<PeekedRecord> peeked = [];
    private SegmentReader? reader;
    private SpoolSegment? readerSegment;

    // Owned by the append gate.
    private SegmentWriter? writer;
    private SpoolSegment? resumable;
    private byte[] encodeBuffer = [];
    private bool dropping;

    private DiskSpool(string name, string directory, SpoolOptions options, SpoolMetrics metrics, ILogger logger, SafeFileHandle directoryLock, byte[] window, RecoveredSpool recovered)
    {
        Name = name;
        Tag = new KeyValuePair<string, object?>(SpoolMetrics.SpoolTag, name);
        this.directory = directory;
        this.options = options;
        this.metrics = metrics;
        this.logger = logger;
        this.directoryLock = directoryLock;
        this.window = window;
        segments = recovered.Segments;
        head = recovered.Head;
        nextSegment = recovered.NextSegment;
        count = recovered.Records;
        bytes = recovered.Bytes;
        oldest = recovered.Oldest;
        Recovery = recovered.Report;
        resumable = segments.Count > 0 && !segments[^1].Sealed ? segments[^1] : null;
    }

    public string Name { get; }

    /// <summary>What opening found: valid records kept, corrupt records skipped, torn bytes cut.</summary>
    public SpoolRecoveryReport Recovery { get; }

    /// <summary>Records waiting: appended and neither committed nor dropped.</summary>
    public long Count
    {
        get
        {
            lock (sync)
            {
                return count;
            }
        }
    }

    /// <summary>Framed bytes (header included) of the records waiting; this is what <c>Spool:MaxBytes</c> bounds.</summary>
    /// <remarks>Disk use can exceed it by the drained start of the head segment (below one segment) and any damage kept.</remarks>
    public long Bytes
    {
        get
        {
            lock (sync)
            {
                return bytes;
            }
        }
    }

    /// <summary>When the record at the head was enqueued; null when the spool is empty.</summary>
    public DateTimeOffset? OldestEnqueuedAt
    {
        get
        {
            lock (sync)
            {
                return oldest;
            }
        }
    }

    internal KeyValuePair<string, object?> Tag { get; }

    /// <summary>Opens the spool in <c>Path.Combine(options.Directory, name)</c>, creating it, and recovers what it holds.</summary>
    /// <exception cref="ValidationException">The options are invalid.</exception>
    /// <exception cref="IOException">The directory cannot be used, or the spool is open elsewhere.</exception>
    public static DiskSpool Open(string name, SpoolOptions options, SpoolMetrics metrics, ILogger logger)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(logger);
        if (string.IsNullOrEmpty(name) || name is "." or ".." || name.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.')))
        {
            throw new ArgumentException($"Spool name '{name}' may hold only letters, digits, '-', '_' and '.'.", nameof(name));
        }

        Validator.ValidateObject(options, new ValidationContext(options), validateAllProperties: true);
        var directory = Path.Combine(options.Directory, name);
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            if (options.FlushToDisk)
            {
                // The new directory's own name must survive a power loss, or every segment in it is lost with it.
                DirectoryFlush.Flush(Path.GetDirectoryName(Path.GetFullPath(directory))!);
            }
        }
        SafeFileHandle directoryLock;
        try
        {
            // FileShare.None takes an exclusive lock (flock on Unix), released by the OS if the process dies.
            directoryLock = File.OpenHandle(Path.Combine(directory, "lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException ex)
        {
            throw new IOException($"Spool '{name}' in '{directory}' is already open, in this process or another.", ex);
        }

        try
        {
            var window = new byte[WindowBytes];
            var recovered = SpoolRecovery.Recover(directory, name, options, window, logger);
            metrics.Corrupt.Add(recovered.Report.CorruptRecordsSkipped, new KeyValuePair<string, object?>(SpoolMetrics.SpoolTag, name));
            var spool = new DiskSpool(name, directory, options, metrics, logger, directoryLock, window, recovered);
            metrics.Register(spool);
            return spool;
        }
        catch
        {
            directoryLock.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Appends the records in order. When this returns they are written to the OS, and fsynced when
    /// <c>Spool:FlushToDisk</c>. All or nothing for the checks below; a failed write may leave the records before it
    /// in the spool, so a retried batch can be held twice (at least once, never lost).
    /// </summary>
    /// <exception cref="SpoolFullException">Under <see cref="SpoolOverflow.Backpressure"/>, the batch does not fit now.</exception>
    /// <exception cref="SpoolRecordTooLargeException">A record can never fit; nothing was written.</exception>
    /// <exception cref="ArgumentException">Under <see cref="SpoolOverflow.Backpressure"/>, the batch as a whole is larger than the spool.</exception>
    public async ValueTask AppendAsync(IReadOnlyList<SpoolRecord> records, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(records);
        if (records.Count == 0)
        {
            return;
        }

        var sizes = new long[records.Count];
        long total = 0;
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i] ?? throw new ArgumentException($"Record {i} is null.", nameof(records));
            ArgumentNullException.ThrowIfNull(record.Id, $"{nameof(records)}[{i}].{nameof(SpoolRecord.Id)}");
            sizes[i] = SpoolFormat.FramedSize(record);
            if (sizes[i] > options.MaxBytes || sizes[i] > SpoolFormat.HeaderSize + SpoolFormat.MaxBodyLength)
            {
                throw new SpoolRecordTooLargeException(
                    $"Spool record '{record.Id}' takes {sizes[i]} bytes framed, more than Spool:MaxBytes ({options.MaxBytes}) allows; it can never be spooled.")
                {
                    RecordId = record.Id,
                };
            }

            total += sizes[i];
        }

        await appendGate.WaitAsync(ct);
        try
        {
            ThrowIfDisposed();
            ct.ThrowIfCancellationRequested();
            var first = 0;
            if (total > options.MaxBytes - Bytes)
            {
                if (options.Overflow == SpoolOverflow.Backpressure && total > options.MaxBytes)
                {
                    // Waiting for the spool to drain cannot help this one: it must be split.
                    throw new ArgumentException(
                        $"The batch of {records.Count} records takes {total} bytes, more than Spool:MaxBytes ({options.MaxBytes}) of spool '{Name}'; append it in smaller batches.",
                        nameof(records));
                }

                if (options.Overflow == SpoolOverflow.Backpressure)
                {
                    throw new SpoolFullException(
                        $"Spool '{Name}' holds {Bytes} of {options.MaxBytes} bytes (Spool:MaxBytes); the batch of {records.Count} records needs {total} more.");
                }

                if (!dropping)
                {
                    SpoolLog.Dropping(logger, Name, options.MaxBytes);
                    dropping = true;
                }

                // A batch larger than the whole spool loses its own oldest records first.
                while (total > options.MaxBytes)
                {
                    total -= sizes[first++];
                }

                var dropped = first + await DropOldestAsync(total, ct);
                metrics.Dropped.Add(dropped, Tag);
            }
            else
            {
                dropping = false;
            }

            Write(records, sizes, first);
            metrics.Appended.Add(records.Count - first, Tag);
        }
        finally
        {
            if (encodeBuffer.Length > KeptEncodeBuffer)
            {
                encodeBuffer = [];
            }

            appendGate.Release();
        }
    }

    /// <summary>
    /// The records at the head, oldest first, without removing them: at most <paramref name="maxRecords"/>, and no more
    /// payload bytes than <paramref name="maxBytes"/> unless the first record alone exceeds it (it is returned alone).
    /// Peeking again starts from the head again.
    /// </summary>
    public async ValueTask<IReadOnlyList<SpoolRecord>> PeekAsync(int maxRecords, long maxBytes, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRecords);
        ArgumentOutOfRangeException.ThrowIfNegative(maxBytes);
        await drainGate.WaitAsync(ct);
        try
        {
            ThrowIfDisposed();
            peeked.Clear();
            var records = new List<SpoolRecord>();
            SpoolPosition position;
            lock (sync)
            {
                position = head;
            }

            long payloadBytes = 0;
            while (records.Count < maxRecords && TryNext(ref position, out var frame, out var segment))
            {
                if (records.Count > 0 && payloadBytes + frame.Layout.PayloadLength > maxBytes)
                {
                    break;
                }

                var record = Decode(frame);
                records.Add(record);
                var start = new SpoolPosition(segment.Number, frame.Offset);
                peeked.Add(new PeekedRecord(segment, start, frame.FramedSize, record.EnqueuedAt));
                payloadBytes += frame.Layout.PayloadLength;
                position = start with { Offset = frame.End };
            }

            if (records.Count == 0)
            {
                ForgetUnreadable(position);
            }

            return records;
        }
        finally
        {
            drainGate.Release();
        }
    }

    /// <summary>
    /// Removes the first <paramref name="count"/> records of the last peek (records dropped meanwhile are skipped),
    /// persists the read position (temporary file and rename, fsynced per <c>Spool:FlushToDisk</c>) and deletes
    /// segments that are fully drained. A position that cannot be persisted is logged, not thrown: it costs
    /// duplicates after a restart, never records.
    /// </summary>
    public async ValueTask CommitAsync(int count, CancellationToken ct)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        await drainGate.WaitAsync(ct);
        try
        {
            ThrowIfDisposed();
            if (count > peeked.Count)
            {
                throw new ArgumentOutOfRangeException(nameof(count), count, $"Only {peeked.Count} peeked records are not yet committed.");
            }

            if (count == 0)
            {
                return;
            }

            long drained = 0;
            lock (sync)
            {
                for (var i = 0; i < count; i++)
                {
                    if (peeked[i].Start >= head)
                    {
                        Consume(peeked[i].Segment, peeked[i].FramedSize);
                        drained++;
                    }
                }

                if (peeked[count - 1].End > head)
                {
                    head = peeked[count - 1].End;
                }
            }

            peeked.RemoveRange(0, count);
            var released = ReleaseDrainedSegments();
            RefreshOldest();
            PersistHead();
            DeleteSegments(released);
            metrics.Drained.Add(drained, Tag);
        }
        finally
        {
            drainGate.Release();
        }
    }

    /// <summary>Completes once <see cref="Count"/> is above zero (at once if it already is).</summary>
    public Task WaitForRecordsAsync(CancellationToken ct)
    {
        Task waiting;
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
            if (count > 0)
            {
                return Task.CompletedTask;
            }

            arrival ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            waiting = arrival.Task;
        }

        return waiting.WaitAsync(ct);
    }

    /// <summary>Waits for a running append and drain step to finish, then closes the files; waiters get <see cref="ObjectDisposedException"/>.</summary>
    public async ValueTask DisposeAsync()
    {
        TaskCompletionSource? waiting;
        lock (sync)
        {
            if (disposed)
            {
                return;
            }

            disposed = true;
            waiting = arrival;
            arrival = null;
        }

        waiting?.TrySetException(new ObjectDisposedException(nameof(DiskSpool), $"Spool '{Name}' was closed."));
        metrics.Unregister(this);
        await appendGate.WaitAsync();
        await drainGate.WaitAsync();
        try
        {
            writer?.Dispose();
            reader?.Dispose();
            directoryLock.Dispose();
        }
        finally
        {
            // Released, not disposed: callers already waiting get in, see the spool closed and throw.
            drainGate.Release();
            appendGate.Release();
        }
    }

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
                writer = SegmentWriter.Resume(last, last.Length);
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

            if (dropped > 0)
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
        var (id, key) = SpoolFormat.ReadKeys(source.Read(bodyAt, layout.PayloadOffset), layout);
        var payload = new byte[layout.PayloadLength];
        var payloadAt = bodyAt + layout.PayloadOffset;
        var complete = payload.Length <= source.WindowSize
            ? source.Read(payloadAt, payload.Length).TryCopyTo(payload)
            : source.ReadExact(payloadAt, payload);
        if (!complete)
        {
            throw new IOException($"Spool '{Name}' segment {frame.Offset} shrank while being read; was it changed by something else?");
        }

        return new SpoolRecord(id, key, layout.EnqueuedAt, payload);
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

    private void ThrowIfDisposed()
    {
        lock (sync)
        {
            ObjectDisposedException.ThrowIf(disposed, this);
        }
    }

    /// <summary>A record handed out by the last peek: where it starts, how much it takes, and its time.</summary>
    private readonly record struct PeekedRecord(SpoolSegment Segment, SpoolPosition Start, long FramedSize, DateTimeOffset EnqueuedAt)
    {
        public SpoolPosition End => Start with { Offset = Start.Offset + FramedSize };
    }
}
