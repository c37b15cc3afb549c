using System.Security.Cryptography;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Client;

/// <summary>
/// An OPC UA client: a secure channel plus (by default) an activated session. Every call takes a cancellation token
/// and is bounded by <see cref="ClientOptions.RequestTimeout"/>; failures surface as <see cref="OpcUaException"/>
/// carrying the status code.
/// </summary>
public sealed partial class OpcUaClient : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly Func<CancellationToken, Task<UacpConnection>>? _connect;
    private ClientChannel _channel;
    private Task? _keepAlive;
    private readonly Lock _reconnectGate = new();
    private Task? _reconnect;
    private bool _reconnectActive;
    private bool _reconnectRequested;
    private long _lastRequestTicks;

    private OpcUaClient(ClientChannel channel, ClientOptions options, Func<CancellationToken, Task<UacpConnection>>? connect)
    {
        _channel = channel;
        _connect = connect;
        Options = options;
        Engine = new SubscriptionEngine(this);
        channel.Closed += status => OnChannelClosed(channel, status);
    }

    public ClientOptions Options { get; }

    public string EndpointUrl => _channel.EndpointUrl;

    public NodeId SessionId { get; private set; }

    public NodeId AuthenticationToken { get; private set; }

    public TimeSpan RevisedSessionTimeout { get; private set; }

    /// <summary>The endpoints the server listed in CreateSession.</summary>
    public EndpointDescription[] ServerEndpoints { get; private set; } = [];

    public bool IsConnected => _channel.IsConnected;

    /// <summary>The current secure channel token (renewed in the background).</summary>
    public ChannelSecurityToken? SecurityToken => _channel.Token;

    /// <summary>Raised each time the connection breaks; with <see cref="ClientOptions.Reconnect"/> enabled a reconnect follows.</summary>
    public event Action<StatusCode>? ConnectionLost;

    /// <summary>Raised when a lost connection is back with a session and every subscription restored (see <see cref="RestoreKind"/>).</summary>
    public event Action<RestoreKind>? Reconnected;

    /// <summary>True while the client is reconnecting after a lost connection.</summary>
    public bool IsReconnecting => Volatile.Read(ref _reconnectActive);

    internal SubscriptionEngine Engine { get; }

    internal ClientChannel Channel => _channel;

    /// <summary>Connects over TCP to <paramref name="endpointUrl"/>, opens a secure channel and (unless disabled) a session.</summary>
    public static async Task<OpcUaClient> ConnectAsync(string endpointUrl, ClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ClientOptions();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        UacpConnection connection;
        try
        {
            connection = await Connectors.ConnectTcpAsync(endpointUrl, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new OpcUaException(StatusCodes.BadTimeout, $"No TCP connection to {endpointUrl} within {options.ConnectTimeout}.");
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            throw new OpcUaException(StatusCodes.BadNotConnected, ex.Message, ex);
        }

        return await ConnectAsync(connection, endpointUrl, options, ct => Connectors.ConnectTcpAsync(endpointUrl, ct), cancellationToken);
    }

    /// <summary>Runs the protocol over an existing connection (in-memory pairs, tunnels); it cannot reconnect on its own.</summary>
    public static Task<OpcUaClient> ConnectAsync(UacpConnection connection, string endpointUrl, ClientOptions? options = null, CancellationToken cancellationToken = default) =>
        ConnectAsync(connection, endpointUrl, options, null, cancellationToken);

    /// <summary>
    /// Runs the protocol over an existing connection; when it breaks, <paramref name="reconnect"/> makes the next one
    /// (see <see cref="ClientOptions.Reconnect"/>).
    /// </summary>
    public static async Task<OpcUaClient> ConnectAsync(UacpConnection connection, string endpointUrl, ClientOptions? options, Func<CancellationToken, Task<UacpConnection>>? reconnect, CancellationToken cancellationToken = default)
    {
        options ??= new ClientOptions();
        var client = new OpcUaClient(new ClientChannel(connection, endpointUrl, options), options, reconnect);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.ConnectTimeout);
        try
        {
            await client._channel.OpenAsync(timeout.Token);
            if (options.CreateSession)
            {
                await client.CreateAndActivateSessionAsync(cancellationToken);
            }

            return client;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await client.DisposeAsync();
            throw new OpcUaException(StatusCodes.BadTimeout, $"Could not open a secure channel to {endpointUrl} within {options.ConnectTimeout}.");
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }
    }

    /// <summary>Opens a bare channel, asks for the server's endpoints (Part 4 §5.4.4) and closes again.</summary>
    public static async Task<EndpointDescription[]> DiscoverEndpointsAsync(string endpointUrl, ClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        await using var client = await ConnectAsync(endpointUrl, (options ?? new ClientOptions()) with { CreateSession = false }, cancellationToken);
        return await client.GetEndpointsAsync(cancellationToken);
    }

    private async Task CreateAndActivateSessionAsync(CancellationToken cancellationToken)
    {
        var created = await _channel.SendAsync<CreateSessionResponse>(new CreateSessionRequest
        {
            ClientDescription = new ApplicationDescription
            {
                ApplicationUri = Options.ApplicationUri,
                ApplicationName = new LocalizedText("en", Options.ApplicationName),
                ApplicationType = ApplicationType.Client,
            },
            EndpointUrl = EndpointUrl,
            SessionName = Options.SessionName,
            ClientNonce = RandomNumberGenerator.GetBytes(32),
            RequestedSessionTimeout = Options.SessionTimeout.TotalMilliseconds,
            MaxResponseMessageSize = Options.Transport.MaxMessageSize,
        }, cancellationToken);
        SessionId = created.SessionId;
        AuthenticationToken = created.AuthenticationToken;
        RevisedSessionTimeout = TimeSpan.FromMilliseconds(created.RevisedSessionTimeout);
        ServerEndpoints = created.ServerEndpoints;

        await SendAsync<ActivateSessionResponse>(new ActivateSessionRequest
        {
            LocaleIds = ["en"],
            UserIdentityToken = new ExtensionObject(IdentityToken()),
        }, cancellationToken);
        if (_keepAlive is null)
        {
            StartKeepAlive();
        }
    }

    /// <summary>The identity token for the configured user, with the PolicyId the server offered for that token type.</summary>
    private IEncodeable IdentityToken()
    {
        var policies = ServerEndpoints.Where(e => e.SecurityPolicyUri == Options.SecurityPolicyUri).SelectMany(e => e.UserIdentityTokens).ToArray();
        switch (Options.Identity)
        {
            case UserNameIdentity user:
                var policy = policies.FirstOrDefault(p => p.TokenType == UserTokenType.UserName);
                if (policy?.SecurityPolicyUri is { Length: > 0 } uri && uri != SecurityPolicyUris.None)
                {
                    throw new OpcUaException(StatusCodes.BadSecurityPolicyRejected, $"The server wants the password encrypted with {uri}.");
                }

                return new UserNameIdentityToken
                {
                    PolicyId = policy?.PolicyId ?? "username",
                    UserName = user.UserName,
                    Password = System.Text.Encoding.UTF8.GetBytes(user.Password),
                };
            default:
                return new AnonymousIdentityToken
                {
                    PolicyId = policies.FirstOrDefault(p => p.TokenType == UserTokenType.Anonymous)?.PolicyId ?? "anonymous",
                };
        }
    }

    /// <summary>Sends any service request; the session's authentication token is filled in unless the header has one.</summary>
    public Task<TResponse> SendAsync<TResponse>(IServiceRequest request, CancellationToken cancellationToken = default)
        where TResponse : IServiceResponse => SendAsync<TResponse>(request, null, cancellationToken);

    internal Task<TResponse> SendAsync<TResponse>(IServiceRequest request, TimeSpan? timeout, CancellationToken cancellationToken)
        where TResponse : IServiceResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestHeader.AuthenticationToken.IsNull)
        {
            request.RequestHeader.AuthenticationToken = AuthenticationToken;
        }

        Interlocked.Exchange(ref _lastRequestTicks, DateTime.UtcNow.Ticks);
        return _channel.SendAsync<TResponse>(request, cancellationToken, timeout);
    }

    private void OnChannelClosed(ClientChannel channel, StatusCode status)
    {
        if (!ReferenceEquals(channel, _channel))
        {
            return; // a channel already replaced by a reconnect
        }

        // No Publish on a connection being replaced: it would carry the old session and could abort the restore.
        Engine.Pause();
        try
        {
            ConnectionLost?.Invoke(status);
        }
#pragma warning disable CA1031 // An application handler must not stop the reconnect (it runs on the channel's receive loop).
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        if (_stopping.IsCancellationRequested || _connect is null || !Options.Reconnect.Enabled)
        {
            return;
        }

        lock (_reconnectGate)
        {
            _reconnectRequested = true;
            if (!_reconnectActive)
            {
                _reconnectActive = true;
                _reconnect = Task.Run(ReconnectLoopAsync);
            }
        }
    }

    /// <summary>Breaks the connection on purpose (the subscription watchdog found the server silent); a reconnect follows.</summary>
    internal ValueTask AbortConnectionAsync(string reason) => _channel.AbortAsync(StatusCodes.BadTimeout, reason);

    /// <summary>
    /// New connection and channel with exponential backoff, then the session: re-activated on the new channel when the
    /// server still has it, created anew otherwise; then the subscriptions (kept, transferred or re-created). The loop
    /// ends only when the restored connection is still up and no loss was reported meanwhile.
    /// </summary>
    private async Task ReconnectLoopAsync()
    {
        var policy = Options.Reconnect;
        var delay = policy.InitialDelay;
        var attempt = 0;
        while (!_stopping.IsCancellationRequested)
        {
            ClientChannel? channel = null;
            try
            {
                if (attempt++ > 0)
                {
                    await Task.Delay(delay + TimeSpan.FromMilliseconds(Random.Shared.Next(0, (int)Math.Max(1, delay.TotalMilliseconds / 4))), _stopping.Token);
                    delay = TimeSpan.FromTicks(Math.Min(policy.MaxDelay.Ticks, delay.Ticks * 2));
                }

                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                timeout.CancelAfter(Options.ConnectTimeout);
                var connection = await _connect!(timeout.Token);
                var opened = new ClientChannel(connection, EndpointUrl, Options);
                channel = opened;
                channel.Closed += status => OnChannelClosed(opened, status);
                await channel.OpenAsync(timeout.Token);
                ClientChannel previous;
                lock (_reconnectGate)
                {
                    // Losses reported from here on are the new channel's.
                    previous = _channel;
                    _channel = channel;
                    _reconnectRequested = false;
                }

                await previous.DisposeAsync();

                var kind = await RestoreSessionAsync(_stopping.Token);
                kind = await Engine.RestoreAsync(kind, _stopping.Token);
                if (!channel.IsConnected)
                {
                    throw new OpcUaException(StatusCodes.BadConnectionClosed, "Lost again while restoring.");
                }

                Engine.Resume();
                try
                {
                    Reconnected?.Invoke(kind);
                }
#pragma warning disable CA1031 // An application handler must not end the reconnect loop.
                catch (Exception)
#pragma warning restore CA1031
                {
                }

                lock (_reconnectGate)
                {
                    if (!_reconnectRequested && channel.IsConnected)
                    {
                        _reconnectActive = false;
                        return;
                    }
                }

                // Lost again right after the restore (even inside the Reconnected handler): go on.
            }
            catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
            {
                break;
            }
#pragma warning disable CA1031 // Whatever failed (including the application's connect delegate), try again.
            catch (Exception)
#pragma warning restore CA1031
            {
                if (channel is not null && ReferenceEquals(channel, _channel) && channel.IsConnected)
                {
                    await channel.AbortAsync(StatusCodes.BadConnectionClosed, "Restore failed.");
                }
                else if (channel is not null && !ReferenceEquals(channel, _channel))
                {
                    await channel.DisposeAsync();
                }
            }
        }

        lock (_reconnectGate)
        {
            _reconnectActive = false;
        }
    }

    /// <summary>ActivateSession on the new channel (Part 4 §5.6.3); a new session when the server no longer knows ours.</summary>
    private async Task<RestoreKind> RestoreSessionAsync(CancellationToken cancellationToken)
    {
        if (!Options.CreateSession)
        {
            return RestoreKind.SessionReactivated;
        }

        try
        {
            await SendAsync<ActivateSessionResponse>(new ActivateSessionRequest
            {
                LocaleIds = ["en"],
                UserIdentityToken = new ExtensionObject(IdentityToken()),
            }, cancellationToken);
            return RestoreKind.SessionReactivated;
        }
        catch (OpcUaException ex) when (ex.StatusCode.WithoutInfoBits is { } code &&
            (code == StatusCodes.BadSessionIdInvalid || code == StatusCodes.BadSessionClosed || code == StatusCodes.BadSessionNotActivated ||
             code == StatusCodes.BadSecureChannelIdInvalid || code == StatusCodes.BadIdentityTokenInvalid))
        {
            AuthenticationToken = NodeId.Null;
            await CreateAndActivateSessionAsync(cancellationToken);
            return RestoreKind.NewSession;
        }
    }

    // Sessions time out on the server without traffic; an idle client reads ServerStatus/State to stay alive.
    private void StartKeepAlive()
    {
        if (Options.KeepAliveInterval <= TimeSpan.Zero)
        {
            return;
        }

        _keepAlive = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Options.KeepAliveInterval / 2);
            try
            {
                while (await timer.WaitForNextTickAsync(_stopping.Token))
                {
                    if (!IsConnected)
                    {
                        continue;
                    }

                    if (DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastRequestTicks) >= Options.KeepAliveInterval.Ticks)
                    {
                        try
                        {
                            await ReadAsync([new ReadValueId { NodeId = VariableIds.ServerStatusState }], cancellationToken: _stopping.Token);
                        }
                        catch (OpcUaException)
                        {
                            // The connection is gone (ConnectionLost tells the application; a reconnect may follow).
                        }
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Stopped.
            }
        });
    }

    /// <summary>Closes the session (Part 4 §5.6.4), then the secure channel.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        if (!AuthenticationToken.IsNull && IsConnected)
        {
            try
            {
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await SendAsync<CloseSessionResponse>(new CloseSessionRequest { DeleteSubscriptions = true }, timeout.Token);
            }
            catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
            {
                // The server forgets the session at its timeout anyway.
            }
        }

        if (_keepAlive is not null)
        {
            await _keepAlive.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_reconnect is not null)
        {
            await _reconnect.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        await Engine.DisposeAsync();
        await _channel.DisposeAsync();
        _stopping.Dispose();
    }
}
