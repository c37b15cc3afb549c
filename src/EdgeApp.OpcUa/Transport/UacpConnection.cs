using System.Buffers;
using System.IO.Pipelines;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Transport;

/// <summary>
/// A UA TCP connection over a pipe pair: frames in, frames out. One writer at a time (a semaphore); cancellation is
/// honoured only before a frame starts, so a cancelled send never leaves half a frame on the wire.
/// </summary>
public sealed class UacpConnection : IAsyncDisposable
{
    private readonly PipeReader _input;
    private readonly PipeWriter _output;
    private readonly IAsyncDisposable? _owner;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private int _closed;

    public UacpConnection(PipeReader input, PipeWriter output, IAsyncDisposable? owner = null, uint maxReceiveFrameSize = 65535)
    {
        _input = input;
        _output = output;
        _owner = owner;
        MaxReceiveFrameSize = maxReceiveFrameSize;
    }

    /// <summary>Frames larger than this are refused with BadTcpMessageTooLarge (our receive buffer size).</summary>
    public uint MaxReceiveFrameSize { get; set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    public string RemoteEndpoint { get; init; } = "memory";

    /// <summary>The next frame, or null when the peer closed the connection cleanly between frames.</summary>
    public async ValueTask<Frame?> ReceiveAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await _input.ReadAsync(cancellationToken);
            var buffer = result.Buffer;
            Frame? frame;
            try
            {
                if (FrameParser.TryParse(ref buffer, MaxReceiveFrameSize, out frame))
                {
                    _input.AdvanceTo(buffer.Start);
                    return frame;
                }
            }
            catch
            {
                _input.AdvanceTo(buffer.Start);
                throw;
            }

            if (result.IsCompleted || result.IsCanceled)
            {
                var partial = buffer.Length;
                _input.AdvanceTo(buffer.End);
                if (partial > 0)
                {
                    throw new OpcUaException(StatusCodes.BadConnectionClosed, $"Connection closed inside a frame ({partial} bytes pending).");
                }

                return null;
            }

            _input.AdvanceTo(buffer.Start, buffer.End);
        }
    }

    /// <summary>Writes whatever <paramref name="write"/> produces as one atomic unit under the writer lock, then flushes.</summary>
    public async ValueTask SendAsync<TState>(TState state, Action<IBufferWriter<byte>, TState> write, CancellationToken cancellationToken)
    {
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (IsClosed)
            {
                throw new OpcUaException(StatusCodes.BadConnectionClosed);
            }

            write(_output, state);
            var flush = await _output.FlushAsync(CancellationToken.None);
            if (flush.IsCompleted)
            {
                throw new OpcUaException(StatusCodes.BadConnectionClosed, "The peer stopped reading.");
            }
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException)
        {
            throw new OpcUaException(StatusCodes.BadConnectionClosed, ex.Message, ex);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public ValueTask SendAsync(ReadOnlyMemory<byte> frames, CancellationToken cancellationToken) =>
        SendAsync(frames, static (output, bytes) => output.Write(bytes.Span), cancellationToken);

    /// <summary>Sends an Error message and closes: the last word on a connection that broke the protocol.</summary>
    public async ValueTask FailAsync(StatusCode status, string? reason)
    {
        if (IsClosed)
        {
            return;
        }

        using var buffer = new ByteBuffer(256);
        FrameWriter.Error(buffer, new ErrorMessage(status, reason));
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await SendAsync(buffer.WrittenMemory, timeout.Token);
        }
        catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
        {
            // The peer may already be gone; closing is all that is left.
        }

        await DisposeAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        await _input.CompleteAsync();
        await _output.CompleteAsync();
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }
    }
}
