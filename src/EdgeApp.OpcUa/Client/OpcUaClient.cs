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
    private readonly ClientChannel _channel;
    private readonly CancellationTokenSource _stopping = new();
    private Task? _keepAlive;
    private long _lastRequestTicks;

    private OpcUaClient(ClientChannel channel, ClientOptions options)
    {
        _channel = channel;
        Options = options;
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

    /// <summary>Raised once when the connection breaks.</summary>
    public event Action<StatusCode>? ConnectionLost
    {
        add => _channel.Closed += value;
        remove => _channel.Closed -= value;
    }

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

        return await ConnectAsync(connection, endpointUrl, options, cancellationToken);
    }

    /// <summary>Runs the protocol over an existing connection (in-memory pairs, tunnels, reverse connections).</summary>
    public static async Task<OpcUaClient> ConnectAsync(UacpConnection connection, string endpointUrl, ClientOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new ClientOptions();
        var client = new OpcUaClient(new ClientChannel(connection, endpointUrl, options), options);
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
        StartKeepAlive();
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
        where TResponse : IServiceResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.RequestHeader.AuthenticationToken.IsNull)
        {
            request.RequestHeader.AuthenticationToken = AuthenticationToken;
        }

        Interlocked.Exchange(ref _lastRequestTicks, DateTime.UtcNow.Ticks);
        return _channel.SendAsync<TResponse>(request, cancellationToken);
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
                while (await timer.WaitForNextTickAsync(_stopping.Token) && IsConnected)
                {
                    if (DateTime.UtcNow.Ticks - Interlocked.Read(ref _lastRequestTicks) >= Options.KeepAliveInterval.Ticks)
                    {
                        await ReadAsync([new ReadValueId { NodeId = VariableIds.ServerStatusState }], cancellationToken: _stopping.Token);
                    }
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or OpcUaException)
            {
                // Stopped, or the connection is gone (ConnectionLost tells the application).
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

        await _channel.DisposeAsync();
        _stopping.Dispose();
    }
}
