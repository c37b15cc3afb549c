using System.Buffers;
using System.Buffers.Binary;
using System.Net.Sockets;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.ClientServer;

/// <summary>A hand-driven UA TCP connection for feeding the server bytes no well-behaved client would send.</summary>
public sealed class RawConnection : IAsyncDisposable
{
    private readonly TcpClient _tcp = new();
    private NetworkStream _stream = null!;
    private byte[] _pending = [];
    private uint _sequence;

    public uint ChannelId { get; private set; }

    public uint TokenId { get; private set; }

    public static async Task<RawConnection> ConnectAsync(TestServer server)
    {
        var raw = new RawConnection();
        await raw._tcp.ConnectAsync("127.0.0.1", server.Server.Port);
        raw._stream = raw._tcp.GetStream();
        return raw;
    }

    public Task SendAsync(byte[] bytes) => _stream.WriteAsync(bytes).AsTask();

    public Task SendHexAsync(string hex) => SendAsync(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal)));

    public async Task HelloAsync(uint maxChunkCount = 0)
    {
        using var buffer = new ByteBuffer();
        FrameWriter.Hello(buffer, new HelloMessage(0, 65535, 65535, 0, maxChunkCount, "opc.tcp://127.0.0.1/"));
        await SendAsync(buffer.WrittenSpan.ToArray());
        using var ack = await ReceiveAsync();
        Assert.Equal(MessageTypes.Acknowledge, ack!.MessageType);
    }

    public async Task OpenAsync()
    {
        await SendMessageAsync(MessageTypes.OpenSecureChannel, new OpenSecureChannelRequest { RequestedLifetime = 60_000 });
        using var frame = await ReceiveAsync();
        Assert.Equal(MessageTypes.OpenSecureChannel, frame!.MessageType);
        var headers = ChunkHeaders.Read(frame, DecodingContext.Default);
        var reader = new UaReader(frame.Bytes[(headers.HeaderSize + 8)..]);
        var response = (OpenSecureChannelResponse)ServiceTypes.DecodeMessage(ref reader, out _);
        ChannelId = response.SecurityToken.ChannelId;
        TokenId = response.SecurityToken.TokenId;
    }

    public Task SendMessageAsync(uint messageType, IEncodeable message, uint? channelId = null, uint? tokenId = null)
    {
        using var body = new ByteBuffer();
        var writer = new UaWriter(body);
        ServiceTypes.EncodeMessage(ref writer, message);
        return SendChunkAsync(messageType, MessageTypes.Final, body.WrittenSpan.ToArray(), channelId, tokenId);
    }

    public Task SendChunkAsync(uint messageType, byte chunkType, byte[] body, uint? channelId = null, uint? tokenId = null, uint? requestId = null)
    {
        var headers = new ChunkHeaders(messageType, channelId ?? ChannelId, tokenId ?? TokenId, SecurityPolicyUris.None, null, null, 0);
        using var output = new ByteBuffer();
        var span = output.GetSpan(headers.EncodedSize + 8 + body.Length);
        var at = headers.Write(span, chunkType);
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], ++_sequence);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], requestId ?? _sequence);
        body.CopyTo(span[(at + 8)..]);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)(at + 8 + body.Length));
        output.Advance(at + 8 + body.Length);
        return SendAsync(output.WrittenSpan.ToArray());
    }

    /// <summary>The next frame, or null when the server closed the connection.</summary>
    public async Task<Frame?> ReceiveAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        var chunk = new byte[65536];
        while (true)
        {
            var sequence = new ReadOnlySequence<byte>(_pending);
            if (FrameParser.TryParse(ref sequence, 1 << 24, out var frame))
            {
                _pending = sequence.ToArray();
                return frame;
            }

            int read;
            try
            {
                read = await _stream.ReadAsync(chunk, cts.Token);
            }
            catch (IOException)
            {
                return null;
            }

            if (read == 0)
            {
                return null;
            }

            _pending = [.. _pending, .. chunk.AsSpan(0, read)];
        }
    }

    /// <summary>Asserts the server answers with an Error message carrying <paramref name="expected"/>, then closes.</summary>
    public async Task ExpectErrorAndCloseAsync(StatusCode expected, TimeSpan? timeout = null)
    {
        using var frame = await ReceiveAsync(timeout);
        Assert.NotNull(frame);
        Assert.Equal("ERR", MessageTypes.Name(frame!.MessageType));
        var reader = new UaReader(frame.Body);
        Assert.Equal(expected, ErrorMessage.Decode(ref reader).Error);
        Assert.Null(await ReceiveAsync());
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }
}
