using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Output;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcPublisher.Engine;

public enum EndpointState
{
    Connecting,
    Connected,
    Reconnecting,

    /// <summary>The configuration asks for something this publisher cannot do (security, certificate users); fix the configuration.</summary>
    Unsupported,
}

/// <summary>
/// One OPC UA session (endpoint URL, security, user) and its writers, run by one loop: connect (retrying with
/// exponential back-off while the server is unreachable), then bring the writers in line with the desired plan
/// whenever it changes, the connection came back or refused nodes are due to be tried again. Once connected, the
/// client itself reconnects and restores the subscriptions; writers and their values are untouched meanwhile.
/// Sessions are independent: one endpoint down does not hold up another.
/// </summary>
internal sealed partial class EndpointSession : IAsyncDisposable
{
    private readonly OpcPublisherOptions _options;
    private readonly IMessageOutbox _outbox;
    private readonly PublisherMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly EndpointContext _context;
    private readonly Dictionary<WriterKey, WriterSubscription> _writers = [];
    private readonly SemaphoreSlim _changed = new(0, int.MaxValue);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;
    private volatile EndpointPlan _desired;
    private volatile WriterSubscription[] _writerSnapshot = [];
    private OpcUaClient? _client;
    private volatile bool _refreshNamespaces;

    public EndpointSession(EndpointPlan plan, OpcPublisherOptions options, IMessageOutbox outbox, PublisherMetrics metrics, TimeProvider time, ILogger logger)
    {
        _desired = plan;
        _options = options;
        _outbox = outbox;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        Identity = plan.Identity;
        _context = new EndpointContext(plan.Identity.EndpointUrl, options.EffectivePublisherId);
        _loop = Task.Run(RunAsync);
    }

    public EndpointIdentity Identity { get; }

    public EndpointState State { get; private set; } = EndpointState.Connecting;

    /// <summary>Why the endpoint is not connected (or the last reconcile failed); null when all is well.</summary>
    public string? LastError { get; private set; }

    public int ConnectAttempts { get; private set; }

    public string? ApplicationUri => _context.ApplicationUri;

    public IReadOnlyList<WriterSubscription> Writers => _writerSnapshot;

    /// <summary>Takes a new plan for this endpoint; applied by the session's loop as soon as it can.</summary>
    public void Update(EndpointPlan plan)
    {
        _desired = plan;
        _changed.Release();
    }

    private async Task RunAsync()
    {
        var token = _stopping.Token;
        var delay = TimeSpan.FromMilliseconds(_options.InitialRetryDelayMs);
        while (!token.IsCancellationRequested)
        {
            try
            {
                if (_client is null)
                {
                    if (Unsupported(_desired.Identity) is { } reason)
                    {
                        State = EndpointState.Unsupported;
                        LastError = reason;
                        LogUnsupported(Identity.ToString(), reason);
                        await _changed.WaitAsync(token);
                        continue;
                    }

                    if (!await TryConnectAsync(token))
                    {
                        await WaitAsync(delay, token);
                        delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, _options.MaxRetryDelayMs));
                        continue;
                    }

                    delay = TimeSpan.FromMilliseconds(_options.InitialRetryDelayMs);
                }

                if (_refreshNamespaces)
                {
                    _refreshNamespaces = false;
                    await RefreshNamespacesAsync(_client!, token);
                }

                var complete = await ReconcileAsync(_client!, token);
                await WaitAsync(complete ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(_options.RetryFailedNodesSeconds), token);
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex) when (ex is OpcUaException or IOException or OperationCanceledException or TimeoutException)
            {
                // The connection broke while changing items: the client reconnects; reconcile again once it is back.
                LastError = ex.Message;
                LogReconcileFailed(Identity.ToString(), ex.Message);
                await WaitAsync(TimeSpan.FromSeconds(1), token);
            }
            catch (Exception ex)
            {
                LastError = ex.Message;
                LogUnexpected(ex, Identity.ToString());
                await WaitAsync(TimeSpan.FromSeconds(5), token);
            }
        }
    }

    /// <summary>Reads the namespace table again; when it changed, items resolved from <c>nsu=</c> ids are made again.</summary>
    private async Task RefreshNamespacesAsync(OpcUaClient client, CancellationToken token)
    {
        var fresh = await client.GetNamespacesAsync(true, token);
        if (_context.Namespaces is { } known && fresh.SequenceEqual(known))
        {
            return;
        }

        _context.Namespaces = fresh;
        foreach (var writer in _writers.Values)
        {
            writer.NamespacesChanged();
            writer.EndpointChanged();
        }
    }

    private async Task WaitAsync(TimeSpan timeout, CancellationToken token)
    {
        try
        {
            await _changed.WaitAsync(timeout, token);
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            throw;
        }

        // Several signals at once need one pass.
        while (_changed.CurrentCount > 0 && _changed.Wait(0, CancellationToken.None))
        {
        }
    }

    private async Task<bool> TryConnectAsync(CancellationToken token)
    {
        ConnectAttempts++;
        try
        {
            var identity = Identity.Authentication == AuthenticationMode.UsernamePassword
                ? UserIdentity.ForUser(Identity.UserName ?? string.Empty, Identity.Password ?? string.Empty)
                : UserIdentity.Anonymous;
            var client = await OpcUaClient.ConnectAsync(Identity.EndpointUrl, new ClientOptions
            {
                ApplicationUri = "urn:edgeapp:opc-publisher:" + _context.PublisherId,
                ApplicationName = "EdgeApp OPC Publisher",
                SessionName = "EdgeApp OPC Publisher " + _context.PublisherId,
                Identity = identity,
                Reconnect = new ReconnectPolicy
                {
                    InitialDelay = TimeSpan.FromMilliseconds(Math.Min(_options.InitialRetryDelayMs, 1000)),
                    MaxDelay = TimeSpan.FromMilliseconds(_options.MaxRetryDelayMs),
                },
            }, token);
            try
            {
                _context.ApplicationUri = client.ServerEndpoints.Select(e => e.Server.ApplicationUri).FirstOrDefault(u => !string.IsNullOrEmpty(u));
                _context.Namespaces = await client.GetNamespacesAsync(false, token);
            }
            catch
            {
                // Connected but unusable: close it, or each retry would leave a session and a reconnecting client behind.
                await client.DisposeAsync();
                throw;
            }

            client.ConnectionLost += status =>
            {
                State = EndpointState.Reconnecting;
                LastError = $"Connection lost ({status}); reconnecting.";
                LogConnectionLost(Identity.ToString(), status.ToString());
            };
            client.Reconnected += kind =>
            {
                State = EndpointState.Connected;
                LastError = null;
                LogReconnected(Identity.ToString(), kind.ToString());

                // A new session may be a restarted server with another namespace table.
                _refreshNamespaces |= kind != RestoreKind.SessionReactivated;
                _changed.Release(); // refused or half-applied items are tried again
            };

            _context.ApplicationUri ??= _context.Namespaces.Count > 1 ? _context.Namespaces[1] : null;
            _client = client;
            State = EndpointState.Connected;
            LastError = null;
            LogConnected(Identity.ToString(), _context.ApplicationUri ?? "?", ConnectAttempts);
            foreach (var writer in _writers.Values)
            {
                writer.EndpointChanged();
            }

            return true;
        }
        catch (Exception ex) when (ex is OpcUaException or IOException or System.Net.Sockets.SocketException or InvalidCastException or OperationCanceledException && !token.IsCancellationRequested)
        {
            State = EndpointState.Connecting;
            LastError = ex.Message;
            _metrics.ConnectFailed(Identity.EndpointUrl);
            if (ConnectAttempts <= 3 || (ConnectAttempts & (ConnectAttempts - 1)) == 0)
            {
                LogConnectFailed(Identity.ToString(), ConnectAttempts, ex.Message);
            }

            return false;
        }
    }

    /// <returns>True when every node of every writer is monitored.</returns>
    private async Task<bool> ReconcileAsync(OpcUaClient client, CancellationToken token)
    {
        var plan = _desired;
        var desired = plan.Writers.ToDictionary(w => w.Key);
        foreach (var key in _writers.Keys.Where(k => !desired.ContainsKey(k)).ToList())
        {
            var writer = _writers[key];
            _writers.Remove(key);
            PublishWriters();
            await writer.DisposeAsync();
            LogWriterRemoved(key.ToString());
        }

        var complete = true;
        foreach (var (key, writerPlan) in desired)
        {
            if (!_writers.TryGetValue(key, out var writer))
            {
                writer = new WriterSubscription(writerPlan, _context, _outbox, _metrics, _time, _logger, _options.MaxMessageBytes);
                await writer.StartAsync(client, token);
                _writers[key] = writer;
                PublishWriters();
                LogWriterAdded(key.ToString(), writerPlan.Nodes.Count);
            }

            complete &= await writer.ApplyAsync(client, writerPlan, token);
        }

        if (complete)
        {
            LastError = null;
        }

        return complete;
    }

    private void PublishWriters() => _writerSnapshot = [.. _writers.Values];

    private static string? Unsupported(EndpointIdentity identity)
    {
        if (!identity.SecurityMode.Equals("None", StringComparison.OrdinalIgnoreCase) && !identity.SecurityMode.Equals("Best", StringComparison.OrdinalIgnoreCase))
        {
            return $"security mode {identity.SecurityMode} is not available yet (the OPC UA stack offers SecurityPolicy None only); set UseSecurity false";
        }

        return identity.Authentication == AuthenticationMode.Certificate
            ? "certificate user authentication is not available yet; use Anonymous or UsernamePassword"
            : null;
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _loop.ContinueWith(_ => { }, TaskScheduler.Default);
        foreach (var writer in _writers.Values)
        {
            await writer.DisposeAsync();
        }

        _writers.Clear();
        PublishWriters();
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }

        _stopping.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Connected to {Endpoint} ({ApplicationUri}) after {Attempts} attempts")]
    private partial void LogConnected(string endpoint, string applicationUri, int attempts);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cannot connect to {Endpoint} (attempt {Attempt}); retrying with back-off: {Problem}")]
    private partial void LogConnectFailed(string endpoint, int attempt, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Lost the connection to {Endpoint} ({Status}); the client reconnects and restores the subscriptions")]
    private partial void LogConnectionLost(string endpoint, string status);

    [LoggerMessage(Level = LogLevel.Information, Message = "Reconnected to {Endpoint}: {Kind}")]
    private partial void LogReconnected(string endpoint, string kind);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Changing the items of {Endpoint} failed; trying again: {Problem}")]
    private partial void LogReconcileFailed(string endpoint, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Endpoint {Endpoint}: unexpected failure; trying again")]
    private partial void LogUnexpected(Exception exception, string endpoint);

    [LoggerMessage(Level = LogLevel.Error, Message = "Endpoint {Endpoint} is not published: {Reason}")]
    private partial void LogUnsupported(string endpoint, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writer {Writer} started with {Nodes} nodes")]
    private partial void LogWriterAdded(string writer, int nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writer {Writer} removed")]
    private partial void LogWriterRemoved(string writer);
}
