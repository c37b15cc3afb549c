using System.ComponentModel.DataAnnotations;
using Microsoft.Win32.SafeHandles;

namespace EdgeApp.Spool;

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
public sealed partial class DiskSpool : IAsyncDisposable
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
                    RecordIndex = i,
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
