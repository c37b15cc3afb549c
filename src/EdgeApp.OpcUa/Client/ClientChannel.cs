using System.Collections.Concurrent;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Client;

/// <summary>
/// The client side of UA TCP and the secure channel: Hello/Acknowledge, OpenSecureChannel with renewal at 75% of
/// the token lifetime, and request/response correlation by request id. One receive loop completes pending requests;
/// sends are serialized by the connection's writer lock.
/// </summary>
internal sealed partial class ClientChannel : IAsyncDisposable
{
    private readonly UacpConnection _connection;
    private readonly ClientOptions _options;
    private readonly ConcurrentDictionary<uint, TaskCompletionSource<IEncodeable>> _pending = new();
    private readonly ChunkWriter _writer = new();
    private readonly CancellationTokenSource _closing = new();
    private readonly ISecurityPolicy _policy;
    private NegotiatedLimits? _limits;
    private ChunkAssembler? _assembler;
    private ChunkHeaders? _messageHeaders;
    private ChunkHeaders _openHeaders;
    private readonly IChunkProtection _asymmetric;
    private IChunkProtection? _symmetric;
    private Task? _receiveLoop;
    private Task? _renewLoop;
    private uint _lastRequestId;
    private uint _lastRequestHandle;
    private StatusCode? _closedStatus;

    public ClientChannel(UacpConnection connection, string endpointUrl, ClientOptions options)
    {
        _connection = connection;
        _options = options;
        EndpointUrl = endpointUrl;
        _policy = SecurityPolicies.Get(options.SecurityPolicyUri);
        _asymmetric = _policy.CreateAsymmetric(new AsymmetricSecurityContext(MessageSecurityModeKind.None, null, null));
        _openHeaders = new ChunkHeaders(MessageTypes.OpenSecureChannel, 0, 0, _policy.Uri, null, null, 0);
    }

    public string EndpointUrl { get; }

    public ChannelSecurityToken? Token { get; private set; }

    public bool IsConnected => _closedStatus is null && !_connection.IsClosed;

    /// <summary>Raised once when the channel breaks (Error message, transport failure); part 2 reconnects from here.</summary>
    public event Action<StatusCode>? Closed;

    /// <summary>Breaks the connection as if the transport failed (a keep-alive watchdog found the peer silent).</summary>
    public ValueTask AbortAsync(StatusCode status, string reason) => _connection.FailAsync(status, reason);

    /// <summary>Hello, Acknowledge, OpenSecureChannel (Issue).</summary>
    public async Task OpenAsync(CancellationToken cancellationToken)
    {
        var own = _options.Transport;
        using (var hello = new ByteBuffer(256))
        {
            FrameWriter.Hello(hello, new HelloMessage(0, own.ReceiveBufferSize, own.SendBufferSize, own.MaxMessageSize, own.MaxChunkCount, EndpointUrl));
            await _connection.SendAsync(hello.WrittenMemory, cancellationToken);
        }

        using (var frame = await _connection.ReceiveAsync(cancellationToken) ?? throw new OpcUaException(StatusCodes.BadConnectionClosed, "Closed during Hello."))
        {
            var reader = new UaReader(frame.Body);
            if (frame.MessageType == MessageTypes.Error)
            {
                var error = ErrorMessage.Decode(ref reader);
                throw new OpcUaException(error.Error, error.Reason);
            }

            if (frame.MessageType != MessageTypes.Acknowledge)
            {
                throw new OpcUaException(StatusCodes.BadTcpMessageTypeInvalid, $"Expected Acknowledge, got {MessageTypes.Name(frame.MessageType)}.");
            }

            var ack = AcknowledgeMessage.Decode(ref reader);
            if (ack.ReceiveBufferSize < TransportLimits.MinBufferSize || ack.SendBufferSize < TransportLimits.MinBufferSize)
            {
                throw new OpcUaException(StatusCodes.BadTcpInternalError, "Server buffer sizes below 8192 bytes.");
            }

            // The server's receive buffer bounds our chunks; its send buffer bounds what we must accept.
            _limits = new NegotiatedLimits(
                Math.Min(own.SendBufferSize, ack.ReceiveBufferSize),
                Math.Min(own.ReceiveBufferSize, ack.SendBufferSize),
                ack.MaxMessageSize,
                ack.MaxChunkCount,
                own.MaxMessageSize,
                own.MaxChunkCount);
            _connection.MaxReceiveFrameSize = own.ReceiveBufferSize;
            _assembler = new ChunkAssembler(own.MaxMessageSize, own.MaxChunkCount, StatusCodes.BadResponseTooLarge);
        }

        _receiveLoop = Task.Run(ReceiveLoopAsync, CancellationToken.None);
        await OpenOrRenewAsync(SecurityTokenRequestType.Issue, cancellationToken);
        _renewLoop = Task.Run(RenewLoopAsync, CancellationToken.None);
    }

    private async Task OpenOrRenewAsync(SecurityTokenRequestType type, CancellationToken cancellationToken)
    {
        var request = new OpenSecureChannelRequest
        {
            RequestType = type,
            SecurityMode = MessageSecurityMode.None,
            ClientNonce = new byte[_policy.NonceLength],
            RequestedLifetime = (uint)Math.Min(_options.TokenLifetime.TotalMilliseconds, uint.MaxValue),
        };
        var response = (OpenSecureChannelResponse)await CallAsync(request, MessageTypes.OpenSecureChannel, cancellationToken);
        var token = response.SecurityToken;
        _openHeaders = new ChunkHeaders(MessageTypes.OpenSecureChannel, token.ChannelId, 0, _policy.Uri, null, null, 0);
        _symmetric = _policy.CreateSymmetric(MessageSecurityModeKind.None, [], [], isClient: true);
        _messageHeaders = new ChunkHeaders(MessageTypes.Message, token.ChannelId, token.TokenId, null, null, null, 0);
        Token = token;
    }

    private async Task RenewLoopAsync()
    {
        try
        {
            while (!_closing.IsCancellationRequested && Token is { } token)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(token.RevisedLifetime * 0.75, 100)), _closing.Token);
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_closing.Token);
                timeout.CancelAfter(_options.RequestTimeout);
                await OpenOrRenewAsync(SecurityTokenRequestType.Renew, timeout.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or OpcUaException)
        {
            // Closing, or the channel broke: Closed has been raised by the receive loop.
        }
    }

    /// <summary>Sends a service request and waits for its response; ServiceFault and bad results throw.</summary>
    public async Task<TResponse> SendAsync<TResponse>(IServiceRequest request, CancellationToken cancellationToken, TimeSpan? timeout = null)
        where TResponse : IServiceResponse
    {
        var response = await CallAsync(request, MessageTypes.Message, cancellationToken, timeout);
        if (response is ServiceFault fault)
        {
            throw new OpcUaException(fault.ResponseHeader.ServiceResult, $"{request.GetType().Name} failed.");
        }

        if (response is not TResponse typed)
        {
            throw new OpcUaException(StatusCodes.BadUnknownResponse, $"Got {response.GetType().Name} for {request.GetType().Name}.");
        }

        if (typed.ResponseHeader.ServiceResult.IsBad)
        {
            throw new OpcUaException(typed.ResponseHeader.ServiceResult, $"{request.GetType().Name} failed.");
        }

        return typed;
    }

    /// <summary>Stamps the request header (handle, timestamp, timeout hint) and awaits the matching response.</summary>
    private async Task<IEncodeable> CallAsync(IServiceRequest request, uint messageType, CancellationToken cancellationToken, TimeSpan? timeoutOverride = null)
    {
        var requestTimeout = timeoutOverride ?? _options.RequestTimeout;
        if (_closedStatus is { } closed)
        {
            throw new OpcUaException(closed, "The channel is closed.");
        }

        var header = request.RequestHeader;
        header.Timestamp = DateTime.UtcNow;
        header.RequestHandle = Interlocked.Increment(ref _lastRequestHandle);
        header.TimeoutHint = (uint)Math.Min(requestTimeout.TotalMilliseconds, uint.MaxValue);
        var requestId = Interlocked.Increment(ref _lastRequestId);
        var completion = new TaskCompletionSource<IEncodeable>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[requestId] = completion;
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _closing.Token);
        timeout.CancelAfter(requestTimeout);
        try
        {
            await SendMessageAsync(messageType, requestId, request, timeout.Token);
            return await completion.Task.WaitAsync(timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && !_closing.IsCancellationRequested)
        {
            throw new OpcUaException(StatusCodes.BadTimeout, $"{request.GetType().Name} got no response within {requestTimeout}.");
        }
        finally
        {
            _pending.TryRemove(requestId, out _);
        }
    }
}
