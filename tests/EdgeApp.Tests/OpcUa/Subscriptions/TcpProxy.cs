using System.Net;
using System.Net.Sockets;

namespace EdgeApp.Tests.OpcUa.Subscriptions;

/// <summary>
/// A loopback TCP forwarder between a client and a server, to break connections on purpose: <see cref="DropAll"/>
/// resets them, <see cref="Freeze"/> silently stops forwarding on the open ones (a dead network path that TCP does
/// not notice). New connections are always forwarded.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(Socket Client, Socket Server, CancellationTokenSource Pipe)> _pairs = [];
    private readonly Task _accept;
    private readonly int _targetPort;

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        _accept = Task.Run(AcceptLoopAsync);
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    public string EndpointUrl => $"opc.tcp://127.0.0.1:{Port}/";

    public int ConnectionCount
    {
        get
        {
            lock (_pairs)
            {
                return _pairs.Count;
            }
        }
    }

    private async Task AcceptLoopAsync()
    {
        try
        {
            while (true)
            {
                var client = await _listener.AcceptSocketAsync(_stopping.Token);
                var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    await server.ConnectAsync(IPAddress.Loopback, _targetPort, _stopping.Token);
                }
                catch (SocketException)
                {
                    client.Dispose();
                    server.Dispose();
                    continue;
                }

                var pipe = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                lock (_pairs)
                {
                    _pairs.Add((client, server, pipe));
                }

                _ = PumpAsync(client, server, pipe.Token);
                _ = PumpAsync(server, client, pipe.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Stopped.
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken cancellationToken)
    {
        var buffer = new byte[65536];
        try
        {
            while (true)
            {
                var read = await from.ReceiveAsync(buffer, SocketFlags.None, cancellationToken);
                if (read == 0)
                {
                    to.Shutdown(SocketShutdown.Send);
                    return;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // Frozen, dropped or stopped.
        }
    }

    /// <summary>Stops forwarding on every open connection but keeps the sockets open: nothing arrives, nothing closes.</summary>
    public void Freeze()
    {
        lock (_pairs)
        {
            foreach (var (_, _, pipe) in _pairs)
            {
                pipe.Cancel();
            }
        }
    }

    /// <summary>Closes every open connection abruptly.</summary>
    public void DropAll()
    {
        lock (_pairs)
        {
            foreach (var (client, server, pipe) in _pairs)
            {
                pipe.Cancel();
                client.Close(0);
                server.Close(0);
            }

            _pairs.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        _listener.Stop();
        DropAll();
        await _accept.ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }
}
