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
    private CancellationTokenSource _flushTimeout = new();
    private int _closed;
    private int _aborted;

    public UacpConnection(PipeReader input, PipeWriter output, IAsyncDisposable? owner = null, uint maxReceiveFrameSize = 65535)
    {
        _input = input;
        _output = output;
        _owner = owner;
        MaxReceiveFrameSize = maxReceiveFrameSize;
    }

    /// <summary>Frames larger than this are refused with BadTcpMessageTooLarge (our receive buffer size).</summary>
    public uint MaxReceiveFrameSize { get; set; }

    public bool IsClosed => Volatile.Read(ref _closed) != 0 || Volatile.Read(ref _aborted) != 0;

    /// <summary>
    /// Longest a send may wait for the peer to take the bytes (a peer that stopped reading); past it the connection is
    /// aborted and the send fails with BadTimeout. Infinite by default.
    /// </summary>
    public TimeSpan SendTimeout { get; set; } = Timeout.InfiniteTimeSpan;

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
            var flush = await FlushAsync();
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

    /// <summary>Flushes under the writer lock, bounded by <see cref="SendTimeout"/> (one reusable timer, no allocation).</summary>
    private async ValueTask<FlushResult> FlushAsync()
    {
        if (SendTimeout == Timeout.InfiniteTimeSpan)
        {
            return await _output.FlushAsync(CancellationToken.None);
        }

        _flushTimeout.CancelAfter(SendTimeout);
        try
        {
            return await _output.FlushAsync(_flushTimeout.Token);
        }
        catch (OperationCanceledException) when (_flushTimeout.IsCancellationRequested)
        {
            await AbortAsync();
            throw new OpcUaException(StatusCodes.BadTimeout, $"The peer took nothing for {SendTimeout.TotalSeconds:0.#} s.");
        }
        finally
        {
            if (!_flushTimeout.TryReset())
            {
                // Expired just as the flush finished: the next send needs a fresh timer.
                _flushTimeout.Dispose();
                _flushTimeout = new CancellationTokenSource();
            }
        }
    }

    /// <summary>
    /// Closes the transport under a stuck send or receive: the socket first (a blocked write cannot be completed
    /// gracefully), then a pending read is woken. <see cref="DisposeAsync"/> still completes the pipes afterwards.
    /// </summary>
    public async ValueTask AbortAsync()
    {
        if (Interlocked.Exchange(ref _aborted, 1) != 0 || Volatile.Read(ref _closed) != 0)
        {
            return;
        }

        if (_owner is not null)
        {
            try
            {
                await _owner.DisposeAsync();
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or System.Net.Sockets.SocketException)
            {
                // Already broken.
            }
        }

        _input.CancelPendingRead();
        _output.CancelPendingFlush();
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

        var aborted = Volatile.Read(ref _aborted) != 0;
        try
        {
            await _input.CompleteAsync();
            await _output.CompleteAsync();
        }
        catch (Exception ex) when (aborted && ex is IOException or ObjectDisposedException or InvalidOperationException or OperationCanceledException)
        {
            // The transport was torn down under the pipes; nothing is left to flush.
        }

        if (_owner is not null && !aborted)
        {
            await _owner.DisposeAsync();
        }
    }
}
