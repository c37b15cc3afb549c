using System.IO.Pipelines;
using System.Net.Sockets;

namespace EdgeApp.OpcUa.Transport;

/// <summary>Makes <see cref="UacpConnection"/>s from sockets, streams or in-memory pipes.</summary>
public static class Connectors
{
    public static UacpConnection FromSocket(Socket socket)
    {
        socket.NoDelay = true;
        EnableKeepAlive(socket);
        var stream = new NetworkStream(socket, ownsSocket: true);
        return new UacpConnection(PipeReader.Create(stream), PipeWriter.Create(stream), stream)
        {
            RemoteEndpoint = socket.RemoteEndPoint?.ToString() ?? "tcp",
        };
    }

    /// <summary>
    /// TCP keep-alive: a peer that vanished without a FIN (power loss, a NAT entry dropped) is found within about a
    /// minute instead of never (30 s idle, then 5 probes 5 s apart).
    /// </summary>
    public static void EnableKeepAlive(Socket socket)
    {
        ArgumentNullException.ThrowIfNull(socket);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 30);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 5);
        }
        catch (Exception ex) when (ex is SocketException or PlatformNotSupportedException)
        {
            // Keep-alive tuning is not available everywhere; the protocol-level timeouts still apply.
        }
    }

    public static UacpConnection FromStream(Stream stream) =>
        new(PipeReader.Create(stream), PipeWriter.Create(stream), stream);

    /// <summary>Two connected ends, for tests and in-process client/server pairs.</summary>
    public static (UacpConnection Client, UacpConnection Server) CreateInMemoryPair()
    {
        var toServer = new Pipe();
        var toClient = new Pipe();
        return (new UacpConnection(toClient.Reader, toServer.Writer), new UacpConnection(toServer.Reader, toClient.Writer));
    }

    /// <summary>Parses <c>opc.tcp://host:port/path</c>; the default port is 4840.</summary>
    public static (string Host, int Port) ParseEndpointUrl(string endpointUrl)
    {
        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp")
        {
            throw new Encoding.OpcUaException(Encoding.StatusCodes.BadTcpEndpointUrlInvalid, $"'{endpointUrl}' is not an opc.tcp URL.");
        }

        return (uri.Host, uri.Port < 0 ? 4840 : uri.Port);
    }

    public static async Task<UacpConnection> ConnectTcpAsync(string endpointUrl, CancellationToken cancellationToken)
    {
        var (host, port) = ParseEndpointUrl(endpointUrl);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        try
        {
            await socket.ConnectAsync(host, port, cancellationToken);
            return FromSocket(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
