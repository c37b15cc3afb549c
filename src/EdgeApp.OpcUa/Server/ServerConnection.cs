using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Server;

/// <summary>
/// One client connection: Hello/Acknowledge, the secure channel, then requests. Requests are decoded and dispatched on
/// the receive loop; a handler that completes synchronously (Read, Browse, ...) is answered at once, one that does not
/// (part 2's Publish) is answered when it completes, while the loop goes on reading. Any protocol violation ends this
/// connection with an Error message and never affects other connections.
/// </summary>
internal sealed partial class ServerConnection(OpcUaServer server, UacpConnection connection)
{
    private readonly ChunkWriter _writer = new();
    private ChunkAssembler? _assembler;
    private NegotiatedLimits? _limits;
    private ServerChannel? _channel;
    private string? _endpointUrl;
    private int _pending;
    private readonly CancellationTokenSource _closed = new();
    private readonly CancellationTokenSource _abort = new();
    private long _lastReceiveTicks = DateTime.UtcNow.Ticks;
    private StatusCode _abortStatus;
    private string? _abortReason;

    public UacpConnection Connection => connection;

    public async Task RunAsync(CancellationToken shutdown)
    {
        connection.SendTimeout = server.Options.Limits.SendTimeout;
        using var run = CancellationTokenSource.CreateLinkedTokenSource(shutdown, _abort.Token);
        var cancellationToken = run.Token;
        try
        {
            await HandshakeAsync(cancellationToken);
            while (true)
            {
                var frame = _channel is null
                    ? await ReceiveWithDeadlineAsync("OpenSecureChannel", cancellationToken)
                    : await connection.ReceiveAsync(cancellationToken);
                Interlocked.Exchange(ref _lastReceiveTicks, DateTime.UtcNow.Ticks);
                if (frame is null || !await OnFrameAsync(frame, cancellationToken))
                {
                    break;
                }
            }
        }
        catch (OpcUaException ex)
        {
            await connection.FailAsync(ex.StatusCode, ex.Message);
        }
        catch (OperationCanceledException) when (shutdown.IsCancellationRequested)
        {
            await connection.FailAsync(StatusCodes.BadShutdown, "Server shutting down.");
        }
        catch (OperationCanceledException) when (_abort.IsCancellationRequested)
        {
            await connection.FailAsync(_abortStatus, _abortReason);
        }
        catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
        {
            // The transport went away under us; nothing to answer.
        }
        catch (Exception ex)
        {
            await connection.FailAsync(StatusCodes.BadTcpInternalError, ex.GetType().Name);
        }
        finally
        {
            _assembler?.Dispose();
            await connection.DisposeAsync();
            if (_channel is { } channel)
            {
                server.Sessions.CloseUnactivated(channel.ChannelId);
            }

            await _closed.CancelAsync();
        }
    }

    /// <summary>
    /// Run by the server's watchdog: closes a channel whose token passed its lifetime + 25% without renewal (Part 6
    /// §6.7.4), and one that has no activated session and received nothing for <see cref="ServerLimits.IdleChannelTimeout"/>.
    /// </summary>
    internal void CheckTimeouts(DateTime now)
    {
        if (_abort.IsCancellationRequested || _channel is not { } channel)
        {
            return;
        }

        if (channel.IsExpired(now))
        {
            Abort(StatusCodes.BadSecureChannelClosed, "The security token expired without renewal.");
            return;
        }

        var idle = now - new DateTime(Interlocked.Read(ref _lastReceiveTicks), DateTimeKind.Utc);
        if (idle > server.Options.Limits.IdleChannelTimeout && !server.Sessions.HasActivatedSessionOn(channel.ChannelId))
        {
            Abort(StatusCodes.BadTimeout, $"No activated session and nothing received for {idle.TotalSeconds:0} s.");
        }
    }

    private void Abort(StatusCode status, string reason)
    {
        _abortStatus = status;
        _abortReason = reason;
        try
        {
            _abort.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // Already finished.
        }
    }

    private async ValueTask<Frame?> ReceiveWithDeadlineAsync(string expected, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(server.Options.Limits.HelloTimeout);
        try
        {
            return await connection.ReceiveAsync(deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OpcUaException(StatusCodes.BadTimeout, $"No {expected} within {server.Options.Limits.HelloTimeout.TotalSeconds:0.#} s.");
        }
    }

    /// <summary>Hello -> Acknowledge with the negotiated sizes (Part 6 §7.1.2.3, §7.1.2.4).</summary>
    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        using var frame = await ReceiveWithDeadlineAsync("Hello", cancellationToken)
            ?? throw new OpcUaException(StatusCodes.BadConnectionClosed, "Closed before Hello.");
        if (frame.MessageType != MessageTypes.Hello)
        {
            throw new OpcUaException(StatusCodes.BadTcpMessageTypeInvalid, $"Expected Hello, got {MessageTypes.Name(frame.MessageType)}.");
        }

        var reader = new UaReader(frame.Body);
        var hello = HelloMessage.Decode(ref reader);
        if (hello.ReceiveBufferSize < TransportLimits.MinBufferSize || hello.SendBufferSize < TransportLimits.MinBufferSize)
        {
            throw new OpcUaException(StatusCodes.BadTcpInternalError, "Buffer sizes below 8192 bytes.");
        }

        var own = server.Options.Limits.Transport;
        var send = Math.Min(own.SendBufferSize, hello.ReceiveBufferSize);
        var receive = Math.Min(own.ReceiveBufferSize, hello.SendBufferSize);
        _limits = new NegotiatedLimits(send, receive, hello.MaxMessageSize, hello.MaxChunkCount, own.MaxMessageSize, own.MaxChunkCount);
        _endpointUrl = hello.EndpointUrl;
        _assembler = new ChunkAssembler(own.MaxMessageSize, own.MaxChunkCount, StatusCodes.BadRequestTooLarge);
        connection.MaxReceiveFrameSize = receive;

        using var buffer = new ByteBuffer(64);
        FrameWriter.Acknowledge(buffer, new AcknowledgeMessage(0, receive, send, own.MaxMessageSize, own.MaxChunkCount));
        await connection.SendAsync(buffer.WrittenMemory, cancellationToken);
    }

    /// <summary>Handles one frame; false when the client closed the channel.</summary>
    private async ValueTask<bool> OnFrameAsync(Frame frame, CancellationToken cancellationToken)
    {
        switch (frame.MessageType)
        {
            case MessageTypes.OpenSecureChannel:
                await OnOpenAsync(frame, cancellationToken);
                return true;
            case MessageTypes.Message:
                await OnMessageAsync(frame, cancellationToken);
                return true;
            case MessageTypes.CloseSecureChannel:
                using (frame)
                {
                    var headers = ChunkHeaders.Read(frame, DecodingContext.Default);
                    if (_channel is null || headers.ChannelId != _channel.ChannelId)
                    {
                        throw new OpcUaException(StatusCodes.BadTcpSecureChannelUnknown, $"Channel {headers.ChannelId} is not open here.");
                    }
                }

                return false;
            case MessageTypes.Error:
                frame.Dispose();
                return false;
            default:
                var type = MessageTypes.Name(frame.MessageType);
                frame.Dispose();
                throw new OpcUaException(StatusCodes.BadTcpMessageTypeInvalid, $"{type} is not allowed after the handshake.");
        }
    }
}
