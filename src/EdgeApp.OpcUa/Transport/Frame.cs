using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Transport;

/// <summary>One received UACP frame (a whole message or one chunk), copied into a pooled array. Dispose returns it.</summary>
public sealed class Frame : IDisposable
{
    private byte[]? _array;

    internal Frame(uint messageType, byte chunkType, byte[] array, int length)
    {
        MessageType = messageType;
        ChunkType = chunkType;
        _array = array;
        Length = length;
    }

    public uint MessageType { get; }

    public byte ChunkType { get; }

    /// <summary>Frame size including the 8-byte header.</summary>
    public int Length { get; }

    public ReadOnlySpan<byte> Bytes => (_array ?? throw new ObjectDisposedException(nameof(Frame))).AsSpan(0, Length);

    /// <summary>The bytes after the 8-byte header.</summary>
    public ReadOnlySpan<byte> Body => Bytes[MessageTypes.HeaderSize..];

    /// <summary>Mutable view for in-place decryption by a security policy.</summary>
    internal Span<byte> MutableBytes => (_array ?? throw new ObjectDisposedException(nameof(Frame))).AsSpan(0, Length);

    public void Dispose()
    {
        var array = Interlocked.Exchange(ref _array, null);
        if (array is not null)
        {
            ArrayPool<byte>.Shared.Return(array);
        }
    }

    public override string ToString() => $"{MessageTypes.Name(MessageType)}{(char)ChunkType} {Length} bytes";
}

/// <summary>
/// Splits a byte stream into UACP frames (Part 6 §7.1.2.2). The header is validated as soon as its 8 bytes are
/// there, so an oversized or unknown frame is refused before its body is buffered.
/// </summary>
public static class FrameParser
{
    /// <summary>
    /// Takes one complete frame off the front of <paramref name="buffer"/>. Returns false and consumes nothing when
    /// the frame is incomplete; throws <see cref="OpcUaException"/> (BadTcpMessageTypeInvalid, BadTcpMessageTooLarge,
    /// BadDecodingError) when the header is invalid.
    /// </summary>
    public static bool TryParse(ref ReadOnlySequence<byte> buffer, uint maxFrameSize, [NotNullWhen(true)] out Frame? frame)
    {
        frame = null;
        if (buffer.Length < MessageTypes.HeaderSize)
        {
            return false;
        }

        Span<byte> header = stackalloc byte[MessageTypes.HeaderSize];
        buffer.Slice(0, MessageTypes.HeaderSize).CopyTo(header);
        var (type, chunkType, size) = ValidateHeader(header, maxFrameSize);
        if (buffer.Length < size)
        {
            return false;
        }

        var array = ArrayPool<byte>.Shared.Rent((int)size);
        buffer.Slice(0, size).CopyTo(array);
        buffer = buffer.Slice(size);
        frame = new Frame(type, chunkType, array, (int)size);
        return true;
    }

    /// <summary>Checks a frame header; returns its type, chunk type and size.</summary>
    public static (uint Type, byte ChunkType, uint Size) ValidateHeader(ReadOnlySpan<byte> header, uint maxFrameSize)
    {
        var type = (uint)(header[0] | (header[1] << 8) | (header[2] << 16));
        var chunkType = header[3];
        var size = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (!MessageTypes.IsKnown(type))
        {
            throw new OpcUaException(StatusCodes.BadTcpMessageTypeInvalid, $"Unknown message type 0x{type:X6}.");
        }

        var chunkValid = MessageTypes.IsSecureConversation(type)
            ? chunkType is MessageTypes.Final or MessageTypes.Intermediate or MessageTypes.Abort
            : chunkType == MessageTypes.Final;
        if (!chunkValid)
        {
            throw new OpcUaException(StatusCodes.BadTcpMessageTypeInvalid, $"Chunk type 0x{chunkType:X2} is invalid for {MessageTypes.Name(type)}.");
        }

        if (size < MessageTypes.HeaderSize + MinimumBody(type))
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, $"{MessageTypes.Name(type)} frame of {size} bytes is too small.");
        }

        if (size > maxFrameSize)
        {
            throw new OpcUaException(StatusCodes.BadTcpMessageTooLarge, $"Frame of {size} bytes exceeds the buffer size {maxFrameSize}.");
        }

        return (type, chunkType, size);
    }

    // The smallest valid body of each message type: anything shorter cannot be decoded.
    private static int MinimumBody(uint type) => type switch
    {
        MessageTypes.Hello => 24,
        MessageTypes.Acknowledge => 20,
        MessageTypes.Error => 8,
        MessageTypes.ReverseHello => 8,
        MessageTypes.OpenSecureChannel => 24, // channel id, three empty asymmetric header fields, sequence header
        _ => 16, // channel id, token id, sequence header
    };
}

/// <summary>Writes UACP frames: header reserved, body encoded, size backfilled.</summary>
public static class FrameWriter
{
    public static int Begin(ref UaWriter w, uint messageType, byte chunkType)
    {
        var start = w.Position;
        w.WriteByte((byte)(messageType & 0xFF));
        w.WriteByte((byte)((messageType >> 8) & 0xFF));
        w.WriteByte((byte)((messageType >> 16) & 0xFF));
        w.WriteByte(chunkType);
        w.WriteUInt32(0);
        return start;
    }

    public static void End(ref UaWriter w, int start) => w.PatchInt32(start + 4, w.Position - start);

    public static void Hello(ByteBuffer buffer, HelloMessage hello)
    {
        var w = new UaWriter(buffer);
        var start = Begin(ref w, MessageTypes.Hello, MessageTypes.Final);
        hello.Encode(ref w);
        End(ref w, start);
    }

    public static void Acknowledge(ByteBuffer buffer, AcknowledgeMessage ack)
    {
        var w = new UaWriter(buffer);
        var start = Begin(ref w, MessageTypes.Acknowledge, MessageTypes.Final);
        ack.Encode(ref w);
        End(ref w, start);
    }

    public static void Error(ByteBuffer buffer, ErrorMessage error)
    {
        var w = new UaWriter(buffer);
        var start = Begin(ref w, MessageTypes.Error, MessageTypes.Final);
        error.Encode(ref w);
        End(ref w, start);
    }

    public static void ReverseHello(ByteBuffer buffer, ReverseHelloMessage message)
    {
        var w = new UaWriter(buffer);
        var start = Begin(ref w, MessageTypes.ReverseHello, MessageTypes.Final);
        message.Encode(ref w);
        End(ref w, start);
    }
}
