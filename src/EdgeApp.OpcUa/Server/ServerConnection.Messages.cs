using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Server;

/// <summary>OPN and MSG handling: token issue/renew, request decoding, dispatch and the response path.</summary>
internal sealed partial class ServerConnection
{
    private async ValueTask OnOpenAsync(Frame frame, CancellationToken cancellationToken)
    {
        ChunkHeaders headers;
        try
        {
            headers = ChunkHeaders.Read(frame, server.DecodingContext);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        var policy = SecurityPolicies.Get(headers.SecurityPolicyUri);
        if (_channel is not null && (headers.ChannelId != _channel.ChannelId || policy != _channel.Policy))
        {
            frame.Dispose();
            throw new OpcUaException(StatusCodes.BadTcpSecureChannelUnknown, $"OPN for channel {headers.ChannelId} on channel {_channel.ChannelId}.");
        }

        var protection = policy.CreateAsymmetric(new AsymmetricSecurityContext(MessageSecurityModeKind.None, null, null));
        using var message = _assembler!.Add(frame, headers, protection);
        if (message is null || message.AbortStatus is not null)
        {
            return;
        }

        var reader = new UaReader(message.Body, server.DecodingContext);
        if (ServiceTypes.DecodeMessage(ref reader, out _) is not OpenSecureChannelRequest request)
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, "An OPN message must carry OpenSecureChannelRequest.");
        }

        if (request.RequestType == SecurityTokenRequestType.Issue && _channel is null)
        {
            _channel = new ServerChannel(server.NextChannelId(), policy, server.Options.Limits);
        }
        else if (request.RequestType != SecurityTokenRequestType.Renew || _channel is null)
        {
            throw new OpcUaException(StatusCodes.BadRequestTypeInvalid, $"{request.RequestType} on a channel that is {(_channel is null ? "not open" : "open")}.");
        }

        if ((int)request.SecurityMode != (int)MessageSecurityModeKind.None && policy is NoneSecurityPolicy)
        {
            throw new OpcUaException(StatusCodes.BadSecurityModeRejected, $"{request.SecurityMode} needs a security policy other than None.");
        }

        var response = new OpenSecureChannelResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            SecurityToken = _channel.IssueToken(request.RequestedLifetime),
            ServerNonce = new byte[policy.NonceLength],
        };
        await SendAsync(_channel.OpenHeaders, protection, message.RequestId, response, cancellationToken);
    }

    private async ValueTask OnMessageAsync(Frame frame, CancellationToken cancellationToken)
    {
        IChunkProtection protection;
        ChunkHeaders headers;
        try
        {
            headers = ChunkHeaders.Read(frame, server.DecodingContext);
            if (_channel is null || headers.ChannelId != _channel.ChannelId)
            {
                throw new OpcUaException(StatusCodes.BadTcpSecureChannelUnknown, $"Channel {headers.ChannelId} is not open here.");
            }

            protection = _channel.ProtectionFor(headers.TokenId);
        }
        catch
        {
            frame.Dispose();
            throw;
        }

        using var message = _assembler!.Add(frame, headers, protection);
        if (message is null || message.AbortStatus is not null)
        {
            return; // more chunks to come, or the client abandoned the request
        }

        IServiceRequest request;
        try
        {
            var reader = new UaReader(message.Body, server.DecodingContext);
            request = ServiceTypes.DecodeMessage(ref reader, out _) as IServiceRequest
                ?? throw new OpcUaException(StatusCodes.BadServiceUnsupported, "The message is not a request.");
        }
        catch (OpcUaException ex) when (ex.StatusCode == StatusCodes.BadServiceUnsupported)
        {
            // A well-framed request for a service this server lacks: answer it and keep the connection.
            var fault = new ServiceFault { ResponseHeader = new ResponseHeader { Timestamp = DateTime.UtcNow, ServiceResult = ex.StatusCode } };
            await SendResponseAsync(message.RequestId, fault, cancellationToken);
            return;
        }

        if (Interlocked.Increment(ref _pending) > server.Options.Limits.MaxPendingRequestsPerConnection)
        {
            Interlocked.Decrement(ref _pending);
            await SendResponseAsync(message.RequestId, ServiceDispatcher.Fault(request, StatusCodes.BadTooManyOperations), cancellationToken);
            return;
        }

        var context = new RequestContext { Server = server, ChannelId = _channel!.ChannelId, RequestId = message.RequestId, EndpointUrl = _endpointUrl, ConnectionClosed = _closed.Token };
        var pending = server.Dispatcher.DispatchAsync(context, request);
        if (pending.IsCompletedSuccessfully)
        {
            Interlocked.Decrement(ref _pending);
            await SendResponseAsync(message.RequestId, pending.Result, cancellationToken);
            return;
        }

        _ = CompleteLaterAsync(message.RequestId, pending, cancellationToken);
    }

    private async Task CompleteLaterAsync(uint requestId, ValueTask<IServiceResponse> pending, CancellationToken cancellationToken)
    {
        try
        {
            var response = await pending;
            await SendResponseAsync(requestId, response, cancellationToken);
        }
        catch (Exception ex) when (ex is OpcUaException or OperationCanceledException or IOException)
        {
            // The connection closed while the request was parked; the session outlives it.
        }
        finally
        {
            Interlocked.Decrement(ref _pending);
        }
    }

    /// <summary>Sends a response; one that is too large for the client becomes a ServiceFault (BadResponseTooLarge).</summary>
    private async ValueTask SendResponseAsync(uint requestId, IServiceResponse response, CancellationToken cancellationToken)
    {
        var (headers, protection) = _channel!.Sending;
        try
        {
            await SendAsync(headers, protection, requestId, response, cancellationToken);
        }
        catch (OpcUaException ex) when (ex.StatusCode == StatusCodes.BadResponseTooLarge)
        {
            var fault = new ServiceFault { ResponseHeader = new ResponseHeader { Timestamp = DateTime.UtcNow, RequestHandle = response.ResponseHeader.RequestHandle, ServiceResult = ex.StatusCode } };
            await SendAsync(headers, protection, requestId, fault, cancellationToken);
        }
        finally
        {
            // Publish/Republish responses hold a reference on a pooled, pre-encoded NotificationMessage.
            (response as IPooledResponse)?.ReleasePooled();
        }
    }

    /// <summary>Encodes outside the writer lock; chunks and sequence numbers are assigned inside it.</summary>
    private async ValueTask SendAsync(ChunkHeaders headers, IChunkProtection protection, uint requestId, IEncodeable message, CancellationToken cancellationToken)
    {
        var body = ByteBufferPool.Rent();
        try
        {
            var writer = new UaWriter(body);
            ServiceTypes.EncodeMessage(ref writer, message);
            await connection.SendAsync(
                (Self: this, Headers: headers, Protection: protection, RequestId: requestId, Body: body),
                static (output, s) => s.Self._writer.Write(output, s.Headers, s.RequestId, s.Body.WrittenSpan, s.Protection, s.Self._limits!, StatusCodes.BadResponseTooLarge),
                cancellationToken);
        }
        finally
        {
            ByteBufferPool.Return(body);
        }
    }
}
