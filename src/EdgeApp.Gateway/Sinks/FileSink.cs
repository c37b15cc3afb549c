using System.Buffers;
using System.Globalization;
using EdgeApp.Messaging;
using Microsoft.Extensions.Options;

namespace EdgeApp.Gateway.Sinks;

/// <summary>
/// Appends events as JSON Lines to rolling files. A batch is written, flushed (and fsynced unless configured
/// otherwise) before <see cref="WriteAsync"/> completes. Each start, and each failure, begins a new file, so a
/// torn line can only ever be the last line of a file.
/// </summary>
public sealed class FileSink(IOptions<FileSinkOptions> options, TimeProvider time) : IEventSink, IAsyncDisposable
{
    private static readonly byte[] NewLine = "\n"u8.ToArray();

    private readonly FileSinkOptions settings = options.Value;
    private readonly SemaphoreSlim gate = new(1, 1);
    private readonly ArrayBufferWriter<byte> pending = new(64 * 1024);
    private FileStream? current;
    private int sequence;

    public string Name => "file";

    /// <summary>The file being written, if any.</summary>
    public string? CurrentPath => current?.Name;

    public async ValueTask WriteAsync(IReadOnlyList<ReceivedEvent> batch, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            var stream = current ??= OpenNext();
            try
            {
                // One write per batch: the lines are gathered first.
                pending.ResetWrittenCount();
                foreach (var received in batch)
                {
                    pending.Write(JsonLines.AsLine(received.Event.Envelope).Span);
                    pending.Write(NewLine);
                }

                await stream.WriteAsync(pending.WrittenMemory, cancellationToken);
                await stream.FlushAsync(cancellationToken);
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
