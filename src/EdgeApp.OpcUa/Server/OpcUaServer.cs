using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Server.Handlers;
using EdgeApp.OpcUa.Server.Subscriptions;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Server;

/// <summary>
/// An OPC UA server: a TCP listener (or in-memory connections), the address space, sessions and the service
/// dispatcher. Build the address space through <see cref="AddressSpace"/>, then <see cref="StartAsync"/>.
/// </summary>
public sealed class OpcUaServer : IAsyncDisposable
{
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<ServerConnection, Task> _connections = new();
    private Socket? _listener;
    private Task? _acceptLoop;
    private Task? _watchdog;
    private int _lastChannelId;

    public OpcUaServer(ServerOptions? options = null)
    {
        Options = options ?? new ServerOptions();
        AddressSpace = new NodeTable(Options.Identity, Options.Limits);
        Sessions = new SessionManager(Options.Limits);
        Subscriptions = new SubscriptionManager(Options.Limits);
        Sessions.SessionClosed += Subscriptions.OnSessionClosed;
        DecodingContext = new DecodingContext
        {
            MaxStringLength = Options.Limits.MaxStringLength,
            MaxByteStringLength = Options.Limits.MaxByteStringLength,
            MaxArrayLength = Options.Limits.MaxArrayLength,
            MaxAllocationFactor = Options.Limits.MaxDecodeAllocationFactor,
        };
        Dispatcher = new ServiceDispatcher();
        DiscoveryHandlers.Register(Dispatcher);
        SessionHandlers.Register(Dispatcher);
        AttributeHandlers.Register(Dispatcher);
        ViewHandlers.Register(Dispatcher);
        MethodHandlers.Register(Dispatcher);
        SubscriptionHandlers.Register(Dispatcher);
        MonitoredItemHandlers.Register(Dispatcher);
        Port = Connectors.ParseEndpointUrl(Options.EndpointUrl).Port;
    }

    public ServerOptions Options { get; }

    public NodeTable AddressSpace { get; }

    public SessionManager Sessions { get; }

    /// <summary>Subscriptions and monitored items (Part 4 §5.12, §5.13), with the shared sampling timers.</summary>
    public SubscriptionManager Subscriptions { get; }

    /// <summary>Request routing; part 2 registers the subscription service set here.</summary>
    public ServiceDispatcher Dispatcher { get; }

    public DecodingContext DecodingContext { get; }

    /// <summary>The port listened on (the real one when the endpoint URL said 0).</summary>
    public int Port { get; private set; }

    /// <summary>The endpoint URL with the real port.</summary>
    public string EndpointUrl => EndpointUrlFor(null);

    public int ConnectionCount => _connections.Count;

    /// <summary>Wraps an accepted socket (tests substitute a failing one).</summary>
    internal Func<Socket, UacpConnection> ConnectionFactory { get; set; } = Connectors.FromSocket;

    /// <summary>Starts listening on the endpoint's port (loopback unless ListenOnAnyAddress) and the session watchdog.</summary>
    public Task StartAsync(CancellationToken cancellationToken = default)
    {
        var address = Options.ListenOnAnyAddress ? IPAddress.IPv6Any : IPAddress.Loopback;
        _listener = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        if (address.AddressFamily == AddressFamily.InterNetworkV6)
        {
            _listener.DualMode = true;
        }

        _listener.Bind(new IPEndPoint(address, Port));
        _listener.Listen(128);
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
        _acceptLoop = Task.Run(AcceptLoopAsync, CancellationToken.None);
        StartWatchdog();
        return Task.CompletedTask;
    }

    /// <summary>Serves a connection made elsewhere (in-memory pairs in tests, or a reverse connection).</summary>
    public Task AcceptAsync(UacpConnection connection)
    {
        StartWatchdog();
        if (_connections.Count >= Options.Limits.MaxConnections)
        {
            return connection.FailAsync(StatusCodes.BadTcpNotEnoughResources, "Too many connections.").AsTask();
        }

        var served = new ServerConnection(this, connection);
        var task = Task.Run(() => served.RunAsync(_stopping.Token));
        _connections[served] = task;
        _ = task.ContinueWith(_ => _connections.TryRemove(served, out Task? _), TaskScheduler.Default);
        return task;
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener!.AcceptAsync(_stopping.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stopping.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            UacpConnection connection;
            try
            {
                connection = ConnectionFactory(socket);
            }
#pragma warning disable CA1031 // One socket that broke during set-up (reset, options refused) must not stop accepting.
            catch (Exception)
#pragma warning restore CA1031
            {
                socket.Dispose();
                continue;
            }

            _ = AcceptAsync(connection);
        }
    }

    private void StartWatchdog()
    {
        if (_watchdog is not null)
        {
            return;
        }

        _watchdog = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            try
            {
                while (await timer.WaitForNextTickAsync(_stopping.Token))
                {
                    var now = DateTime.UtcNow;
                    Sessions.CloseExpired(now);
                    Subscriptions.ExpirePublishRequests(Sessions.Sessions, now);
                    foreach (var connection in _connections.Keys)
                    {
                        connection.CheckTimeouts(now);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // stopping
            }
        });
    }

    internal uint NextChannelId() => (uint)Interlocked.Increment(ref _lastChannelId);

    /// <summary>The configured endpoint URL with the real port and, when given, the host the client dialled.</summary>
    internal string EndpointUrlFor(string? requestedUrl)
    {
        var configured = new Uri(Options.EndpointUrl);
        var host = configured.Host;
        if (requestedUrl is not null && Uri.TryCreate(requestedUrl, UriKind.Absolute, out var requested) && requested.Scheme == "opc.tcp")
        {
            host = requested.Host;
        }

        return new UriBuilder("opc.tcp", host, Port, configured.AbsolutePath).Uri.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _listener?.Dispose();
        foreach (var task in _connections.Values)
        {
            await task.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_acceptLoop is not null)
        {
            await _acceptLoop.ContinueWith(_ => { }, TaskScheduler.Default);
        }

        if (_watchdog is not null)
        {
            await _watchdog;
        }

        Subscriptions.Dispose();

        _stopping.Dispose();
    }
}
