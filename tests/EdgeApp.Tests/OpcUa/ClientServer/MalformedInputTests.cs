using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.ClientServer;

/// <summary>
/// Malformed frames get the right Error message and close only their own connection: a well-behaved client connected
/// to the same server keeps being served after each of them.
/// </summary>
public sealed class MalformedInputTests
{
    private static async Task AssertOtherClientServedAsync(TestServer server, EdgeApp.OpcUa.Client.OpcUaClient client)
    {
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
        await using var fresh = await server.ConnectAsync();
        Assert.Equal(StatusCodes.Good, (await fresh.ReadAsync(server.Id("Int32"))).StatusCode);
    }

    [Fact]
    public async Task UnknownMessageType_GetsBadTcpMessageTypeInvalid()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var client = await server.ConnectAsync();
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.SendHexAsync("58595A46 10000000 0000000000000000");
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpMessageTypeInvalid);
        await AssertOtherClientServedAsync(server, client);
    }

    [Fact]
    public async Task FirstMessageNotHello_GetsBadTcpMessageTypeInvalid()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.SendHexAsync("41434B46 1C000000 00000000 00000100 00000100 00000000 00000000");
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpMessageTypeInvalid);
    }

    [Fact]
    public async Task OversizedFrame_GetsBadTcpMessageTooLarge()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var client = await server.ConnectAsync();
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.SendHexAsync("4D534746 00000010"); // MSG header announcing 256 MiB
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpMessageTooLarge);
        await AssertOtherClientServedAsync(server, client);
    }

    [Fact]
    public async Task MessageBeforeOpen_GetsBadTcpSecureChannelUnknown()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.SendMessageAsync(MessageTypes.Message, new ReadRequest(), channelId: 99, tokenId: 1);
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpSecureChannelUnknown);
    }

    [Fact]
    public async Task WrongChannelId_GetsBadTcpSecureChannelUnknown()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.OpenAsync();
        await raw.SendMessageAsync(MessageTypes.Message, new ReadRequest(), channelId: raw.ChannelId + 1000);
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpSecureChannelUnknown);
    }

    [Fact]
    public async Task UnknownToken_GetsBadSecureChannelTokenUnknown()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.OpenAsync();
        await raw.SendMessageAsync(MessageTypes.Message, new ReadRequest(), tokenId: 77);
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadSecureChannelTokenUnknown);
    }

    [Fact]
    public async Task GarbageRequestBody_GetsBadDecodingError()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var client = await server.ConnectAsync();
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.OpenAsync();
        // A ReadRequest type id followed by a truncated header.
        await raw.SendChunkAsync(MessageTypes.Message, MessageTypes.Final, Convert.FromHexString("010077020000FFFF"));
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadDecodingError);
        await AssertOtherClientServedAsync(server, client);
    }

    [Fact]
    public async Task TooManyChunks_GetsBadTcpMessageTooLarge()
    {
        var options = new ServerOptions { Limits = new ServerLimits { Transport = new TransportLimits { MaxChunkCount = 3 } } };
        await using var server = await TestServer.StartAsync(true, options);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.OpenAsync();
        for (var i = 0; i < 4; i++)
        {
            await raw.SendChunkAsync(MessageTypes.Message, MessageTypes.Intermediate, new byte[100], requestId: 42);
        }

        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpMessageTooLarge);
    }

    [Fact]
    public async Task ManyInterleavedPartialMessages_GetBadTcpMessageTooLarge()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.OpenAsync();
        for (uint i = 0; i < 17; i++)
        {
            await raw.SendChunkAsync(MessageTypes.Message, MessageTypes.Intermediate, new byte[100], requestId: 100 + i);
        }

        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpMessageTooLarge);
    }

    [Fact]
    public async Task UnsupportedService_GetsServiceFault_AndTheChannelStaysOpen()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var client = await server.ConnectAsync();
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.SendAsync<ReadResponse>(new FakeHistoryReadRequest()));
        Assert.Equal(StatusCodes.BadServiceUnsupported, ex.StatusCode);
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }

    [Fact]
    public async Task SilentClient_IsDisconnectedAfterTheHelloTimeout()
    {
        var options = new ServerOptions { Limits = new ServerLimits { HelloTimeout = TimeSpan.FromMilliseconds(300) } };
        await using var server = await TestServer.StartAsync(true, options);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTimeout, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task HelloWithoutOpen_IsDisconnectedAfterTheTimeout()
    {
        var options = new ServerOptions { Limits = new ServerLimits { HelloTimeout = TimeSpan.FromMilliseconds(300) } };
        await using var server = await TestServer.StartAsync(true, options);
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.HelloAsync();
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTimeout, TimeSpan.FromSeconds(5));
    }

    [Fact]
    public async Task RandomBytes_NeverCrashTheServer()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var client = await server.ConnectAsync();
        var random = new Random(1234);
        for (var i = 0; i < 20; i++)
        {
            await using var raw = await RawConnection.ConnectAsync(server);
            if (i % 2 == 1)
            {
                await raw.HelloAsync();
                await raw.OpenAsync();
            }

            var noise = new byte[random.Next(1, 300)];
            random.NextBytes(noise);
            await raw.SendChunkAsync(MessageTypes.Message, MessageTypes.Final, noise);
            using var answer = await raw.ReceiveAsync(TimeSpan.FromSeconds(10));
            Assert.True(answer is null || answer.MessageType is MessageTypes.Error or MessageTypes.Message, "unexpected answer " + answer);
        }

        await AssertOtherClientServedAsync(server, client);
    }

    /// <summary>CreateSubscriptionRequest's type id (part 2 adds the service); this server must refuse it politely.</summary>
    private sealed class FakeHistoryReadRequest : IServiceRequest
    {
        public NodeId BinaryEncodingId => 664u; // HistoryRead: not implemented by this server

        public RequestHeader RequestHeader { get; set; } = new();

        public void Encode(ref UaWriter writer)
        {
            RequestHeader.Encode(ref writer);
            writer.WriteDouble(1000);
        }
    }
}
