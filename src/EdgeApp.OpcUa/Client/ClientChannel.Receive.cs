using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Client;

/// <summary>The receive loop, the send path and closing.</summary>
internal sealed partial class ClientChannel
{
    private async Task ReceiveLoopAsync()
    {
        var status = StatusCodes.BadConnectionClosed;
        try
        {
            while (await _connection.ReceiveAsync(_closing.Token) is { } frame)
            {
                if (frame.MessageType == MessageTypes.Error)
                {
                    using (frame)
                    {
                        var reader = new UaReader(frame.Body);
                        status = ErrorMessage.Decode(ref reader).Error;
                    }

                    break;
                }

                if (frame.MessageType is not (MessageTypes.Message or MessageTypes.OpenSecureChannel))
                {
                    frame.Dispose();
                    status = StatusCodes.BadTcpMessageTypeInvalid;
                    break;
                }

                OnChunk(frame);
            }
        }
        catch (OpcUaException ex)
        {
            status = ex.StatusCode;
            await _connection.FailAsync(ex.StatusCode, ex.Message);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException or InvalidOperationException)
        {
            // Closed by us or by the transport.
        }

        Fail(status);
    }

    private void OnChunk(Frame frame)
    {
        var headers = ChunkHeaders.Read(frame, DecodingContext.Default);
        if (Token is { } token && headers.ChannelId != token.ChannelId)
        {
            frame.Dispose();
            throw new OpcUaException(StatusCodes.BadTcpSecureChannelUnknown, $"Chunk for channel {headers.ChannelId}.");
        }

        // OPN chunks use the asymmetric protection, MSG chunks the keys of the current token.
        var protection = frame.MessageType == MessageTypes.OpenSecureChannel ? _asymmetric : _symmetric ?? _asymmetric;
        using var message = _assembler!.Add(frame, headers, protection);
        if (message is null || !_pending.TryGetValue(message.RequestId, out var completion))
        {
            return; // more chunks coming, or nobody waits any more (timed out)
        }

        if (message.AbortStatus is { } aborted)
        {
            completion.TrySetException(new OpcUaException(aborted, message.AbortReason));
            return;
        }

        try
        {
            var reader = new UaReader(message.Body);
            completion.TrySetResult(ServiceTypes.DecodeMessage(ref reader, out _));
        }
        catch (OpcUaException ex)
        {
            completion.TrySetException(ex);
        }
    }

    private void Fail(StatusCode status)
    {
        if (_closedStatus is not null)
        {
            return;
        }

        _closedStatus = status;
        foreach (var completion in _pending.Values)
        {
            completion.TrySetException(new OpcUaException(status, "The connection closed."));
        }

        Closed?.Invoke(status);
    }

    private async Task SendMessageAsync(uint messageType, uint requestId, IEncodeable message, CancellationToken cancellationToken)
    {
        var body = ByteBufferPool.Rent();
        try
        {
            var writer = new UaWriter(body);
            ServiceTypes.EncodeMessage(ref writer, message);
            if (messageType == MessageTypes.Message && _messageHeaders is null)
            {
                throw new OpcUaException(StatusCodes.BadSecureChannelClosed, "No secure channel yet.");
            }

            // Headers (token) are chosen inside the writer lock: a request queued behind a renewal then carries the new
            // token, so the server never sees the old token after the new one.
            await _connection.SendAsync(
                (Self: this, MessageType: messageType, RequestId: requestId, Body: body),
                static (output, s) => s.Self._writer.Write(
                    output,
                    s.MessageType == MessageTypes.Message ? s.Self._messageHeaders! : s.Self._openHeaders,
                    s.RequestId,
                    s.Body.WrittenSpan,
                    s.MessageType == MessageTypes.Message ? s.Self._symmetric! : s.Self._asymmetric,
                    s.Self._limits!,
                    StatusCodes.BadRequestTooLarge),
                cancellationToken);
        }
        finally
        {
            ByteBufferPool.Return(body);
        }
    }

    /// <summary>Sends CloseSecureChannel (no response exists) and closes the connection.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_closing.IsCancellationRequested)
        {
            return;
        }

        if (IsConnected && Token is { } token)
        {
            try
            {
                var headers = new ChunkHeaders(MessageTypes.CloseSecureChannel, token.ChannelId, token.TokenId, null, null, null, 0);
                var body = ByteBufferPool.Rent();
                var writer = new UaWriter(body);
                ServiceTypes.EncodeMessage(ref writer, new CloseSecureChannelRequest { RequestHeader = new RequestHeader { Timestamp = DateTime.UtcNow } });
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _connection.SendAsync(
                    (Self: this, Headers: headers, Body: body),
                    static (output, s) => s.Self._writer.Write(output, s.Headers, 0, s.Body.WrittenSpan, s.Self._symmetric!, s.Self._limits!, StatusCodes.BadRequestTooLarge),
                    timeout.Token);
                ByteBufferPool.Return(body);
            }
            catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
            {
                // Closing anyway.
            }
        }

        await _closing.CancelAsync();
        await _connection.DisposeAsync();
        if (_receiveLoop is not null)
        {
            await _receiveLoop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_renewLoop is not null)
        {
            await _renewLoop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        Fail(StatusCodes.BadConnectionClosed);
        _assembler?.Dispose();
        _closing.Dispose();
    }
}
