using System.Buffers.Binary;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.SecureChannel;

/// <summary>SequenceNumber and RequestId, the first encrypted bytes of every chunk (Part 6 §6.7.2.4).</summary>
public static class SequenceHeader
{
    public const int Size = 8;

    /// <summary>Sequence numbers wrap to a value below 1024 after this one (Part 6 §6.7.2.4).</summary>
    public const uint WrapAfter = uint.MaxValue - 1024;

    public static uint Next(uint current) => current >= WrapAfter ? 1 : current + 1;

    public static bool IsValidSuccessor(uint previous, uint next) =>
        next == previous + 1 || (previous >= WrapAfter && next < 1024);
}

/// <summary>
/// The cleartext part of a secure conversation chunk after the UACP header: SecureChannelId, then the asymmetric
/// security header (OPN: policy URI, sender certificate, receiver thumbprint) or the symmetric one (MSG/CLO: TokenId).
/// </summary>
public sealed record ChunkHeaders(
    uint MessageType,
    uint ChannelId,
    uint TokenId,
    string? SecurityPolicyUri,
    byte[]? SenderCertificate,
    byte[]? ReceiverCertificateThumbprint,
    int HeaderSize)
{
    public static ChunkHeaders Read(Frame frame, DecodingContext context)
    {
        var r = new UaReader(frame.Body, context);
        var channelId = r.ReadUInt32();
        if (frame.MessageType == MessageTypes.OpenSecureChannel)
        {
            var uri = r.ReadString();
            var certificate = r.ReadByteString();
            var thumbprint = r.ReadByteString();
            return new ChunkHeaders(frame.MessageType, channelId, 0, uri, certificate, thumbprint, MessageTypes.HeaderSize + r.Position);
        }

        return new ChunkHeaders(frame.MessageType, channelId, r.ReadUInt32(), null, null, null, MessageTypes.HeaderSize + r.Position);
    }

    /// <summary>Size of the headers this record describes when written.</summary>
    public int EncodedSize => MessageTypes.HeaderSize + 4 + (MessageType == MessageTypes.OpenSecureChannel
        ? 12 + System.Text.Encoding.UTF8.GetByteCount(SecurityPolicyUri ?? string.Empty)
            + (SenderCertificate?.Length ?? 0) + (ReceiverCertificateThumbprint?.Length ?? 0)
        : 4);

    /// <summary>Writes UACP header (size left 0), channel id and security header; returns the bytes written.</summary>
    public int Write(Span<byte> span, byte chunkType)
    {
        span[0] = (byte)(MessageType & 0xFF);
        span[1] = (byte)((MessageType >> 8) & 0xFF);
        span[2] = (byte)((MessageType >> 16) & 0xFF);
        span[3] = chunkType;
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], 0);
        BinaryPrimitives.WriteUInt32LittleEndian(span[8..], ChannelId);
        var at = 12;
        if (MessageType != MessageTypes.OpenSecureChannel)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], TokenId);
            return at + 4;
        }

        at += WriteBytes(span[at..], SecurityPolicyUri is null ? null : System.Text.Encoding.UTF8.GetBytes(SecurityPolicyUri));
        at += WriteBytes(span[at..], SenderCertificate);
        at += WriteBytes(span[at..], ReceiverCertificateThumbprint);
        return at;
    }

    private static int WriteBytes(Span<byte> span, byte[]? bytes)
    {
        BinaryPrimitives.WriteInt32LittleEndian(span, bytes?.Length ?? -1);
        bytes?.CopyTo(span[4..]);
        return 4 + (bytes?.Length ?? 0);
    }
}
