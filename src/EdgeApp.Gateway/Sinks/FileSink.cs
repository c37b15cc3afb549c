using System.Buffers;
using System.Globalization;

namespace EdgeApp.Gateway.Sinks;

/// <summary>
/// Appends events as JSON Lines to rolling files. A batch is written, flushed (and fsynced unless configured
/// otherwise) before <see cref="WriteAsync"/> completes. Each start, and each failure, begins a new file, so a
/// torn line can only ever be the last line of a file.
/// </summary>
public sealed class FileSink(string name, FileSinkOptions settings, TimeProvider time) : IEventSink, IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ArrayBufferWriter<byte> pending = new(64 * 1024);
    private FileStream? current;
    private int sequence;

    public string Name => name;

    /// <summary>The file being written, if any.</summary>
    public string? CurrentPath => current?.Name;

    public async ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var stream = current ??= OpenNext();
            List<SinkRejection>? rejections = null;
            try
            {
                // One write per batch: the lines are gathered first. A record that is not one JSON value could
                // never become a line; it is refused rather than allowed to block the batches behind it.
                pending.ResetWrittenCount();
                for (var i = 0; i < batch.Count; i++)
                {
                    if (JsonLines.TryAsLine(batch[i].Envelope, out var line))
                    {
                        pending.Write(line.Span);
                        pending.Write(NewLine);
                    }
                    else
                    {
                        (rejections ??= []).Add(new SinkRejection(i, "not a single JSON value; it cannot be one JSON line"));
                    }
                }

                // Once started, the write and flush finish even on shutdown: a cancelled write would tear the last line.
                await stream.WriteAsync(pending.WrittenMemory, CancellationToken.None);
                await stream.FlushAsync(CancellationToken.None);
                if (settings.FlushToDisk)
                {
                    stream.Flush(flushToDisk: true);
                }
            }
            catch
            {
                // The file's tail is now unknown: close it and start a fresh one on the next batch.
                current = null;
                await DisposeQuietlyAsync(stream);
                throw;
            }

            if (stream.Length >= settings.MaxFileBytes)
            {
                current = null;
                await stream.DisposeAsync();
            }

            return rejections ?? (IReadOnlyList<SinkRejection>)[];
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (current is not null)
        {
            await DisposeQuietlyAsync(current);
            current = null;
        }

        gate.Dispose();
    }

    private FileStream OpenNext()
    {
        Directory.CreateDirectory(settings.Directory);
        var stamp = time.GetUtcNow().ToString("yyyyMMdd'T'HHmmssfff", CultureInfo.InvariantCulture);
        var path = Path.Combine(settings.Directory, $"{settings.FilePrefix}-{stamp}-{Interlocked.Increment(ref sequence):D4}.jsonl");
        return new FileStream(path, new FileStreamOptions
        {
            Mode = FileMode.CreateNew,
            Access = FileAccess.Write,
            Share = FileShare.Read,
            BufferSize = 64 * 1024,
            Options = FileOptions.Asynchronous,
        });
    }

    private static async ValueTask DisposeQuietlyAsync(FileStream stream)
    {
        try
        {
            await stream.DisposeAsync();
        }
        catch (IOException)
        {
            // Closing may flush into the same failure; the batch is retried either way.
        }
    }
}
