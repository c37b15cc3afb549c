using System.Buffers;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.Transport;

/// <summary>Framing fed whole, split at every offset and one byte at a time must yield the same frames.</summary>
public sealed class FrameParserTests
{
    private static byte[] Stream()
    {
        using var buffer = new ByteBuffer();
        FrameWriter.Hello(buffer, new HelloMessage(0, 65535, 65535, 0, 0, "opc.tcp://host:4840/水"));
        FrameWriter.Acknowledge(buffer, new AcknowledgeMessage(0, 8192, 8192, 1 << 20, 16));
        FrameWriter.Error(buffer, new ErrorMessage(StatusCodes.BadTcpMessageTooLarge, "too large"));
        FrameWriter.ReverseHello(buffer, new ReverseHelloMessage("urn:server", "opc.tcp://host:4840"));

        // A secure conversation message in three chunks (C, C, F) with the smallest allowed buffer.
        var limits = new NegotiatedLimits(8192, 8192, 0, 0, 0, 0);
        var headers = new ChunkHeaders(MessageTypes.Message, 3, 1, null, null, null, 0);
        var body = Enumerable.Range(0, 20_000).Select(i => (byte)i).ToArray();
        new ChunkWriter().Write(buffer, headers, 9, body, NoneSecurityPolicy.Instance, limits, StatusCodes.BadRequestTooLarge);
        return buffer.WrittenSpan.ToArray();
    }

    private static List<string> Parse(IEnumerable<byte[]> pieces)
    {
        var frames = new List<string>();
        var pending = Array.Empty<byte>();
        foreach (var piece in pieces)
        {
            pending = [.. pending, .. piece];
            var sequence = new ReadOnlySequence<byte>(pending);
            while (FrameParser.TryParse(ref sequence, 65535, out var frame))
            {
                using (frame)
                {
                    frames.Add($"{MessageTypes.Name(frame.MessageType)}:{Convert.ToHexString(frame.Bytes)}");
                }
            }

            pending = sequence.ToArray();
        }

        Assert.Empty(pending);
        return frames;
    }

    [Fact]
    public void Whole_YieldsEveryFrame()
    {
        var frames = Parse([Stream()]);
        Assert.Equal(["HEL", "ACK", "ERR", "RHE", "MSG", "MSG", "MSG"], frames.Select(f => f[..3]));
    }

    [Fact]
    public void SplitAtEveryOffset_YieldsTheSameFrames()
    {
        var stream = Stream();
        var expected = Parse([stream]);
        for (var split = 0; split <= stream.Length; split++)
        {
            Assert.Equal(expected, Parse([stream[..split], stream[split..]]));
        }
    }

    [Fact]
    public void ByteAtATime_YieldsTheSameFrames()
    {
        var stream = Stream();
        Assert.Equal(Parse([stream]), Parse(stream.Select(b => new[] { b })));
    }

    [Fact]
    public void IncompleteFrame_ConsumesNothing()
    {
        var stream = Stream();
        var sequence = new ReadOnlySequence<byte>(stream, 0, 10);
        Assert.False(FrameParser.TryParse(ref sequence, 65535, out _));
        Assert.Equal(10, sequence.Length);
    }

    [Fact]
    public void ConnectionMessages_RoundTrip()
    {
        var stream = Stream();
        var sequence = new ReadOnlySequence<byte>(stream);
        Assert.True(FrameParser.TryParse(ref sequence, 65535, out var frame));
        using (frame)
        {
            var reader = new UaReader(frame.Body);
            Assert.Equal(new HelloMessage(0, 65535, 65535, 0, 0, "opc.tcp://host:4840/水"), HelloMessage.Decode(ref reader));
        }
    }

    [Theory]
    [InlineData("58595A46 10000000 0000000000000000", 0x807E0000u)] // unknown type XYZ
    [InlineData("48454C43 20000000 0000000000000000", 0x807E0000u)] // HEL with chunk type C
    [InlineData("4D534758 20000000 0000000000000000", 0x807E0000u)] // MSG with chunk type X
    [InlineData("4D534746 FFFFFF7F 0000000000000000", 0x80800000u)] // MSG larger than the buffer
    [InlineData("4D534746 09000000 0000000000000000", 0x80070000u)] // MSG smaller than its headers
    public void InvalidHeader_IsRefusedBeforeTheBodyArrives(string hex, uint status)
    {
        var sequence = new ReadOnlySequence<byte>(Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal))[..8]);
        var ex = Assert.Throws<OpcUaException>(() => FrameParser.TryParse(ref sequence, 65535, out _));
        Assert.Equal(new StatusCode(status), ex.StatusCode);
    }
}
