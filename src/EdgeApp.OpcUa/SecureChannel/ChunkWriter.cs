using System.Buffers;
using System.Buffers.Binary;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.SecureChannel;

/// <summary>
/// Splits an encoded message into chunks no larger than the peer's receive buffer, each with headers, sequence
/// number and protection (Part 6 §6.7.2). Owns the sending sequence numbers, so callers write under one lock.
/// </summary>
public sealed class ChunkWriter
{
    private uint _lastSequenceNumber;

    public ChunkWriter(uint lastSequenceNumber = 0)
    {
        _lastSequenceNumber = lastSequenceNumber;
    }

    public uint LastSequenceNumber => _lastSequenceNumber;

    /// <summary>
    /// Writes all chunks of one message to <paramref name="output"/>. Throws <paramref name="tooLarge"/> (before writing
    /// anything) when the body exceeds the peer's MaxMessageSize or would need more than its MaxChunkCount chunks.
    /// </summary>
    public void Write(
        IBufferWriter<byte> output,
        ChunkHeaders headers,
        uint requestId,
        ReadOnlySpan<byte> body,
        IChunkProtection protection,
        NegotiatedLimits limits,
        StatusCode tooLarge)
    {
        var chunkSize = (int)limits.SendChunkSize;
        var headerSize = headers.EncodedSize;
        var maxBody = protection.MaxBodySize(chunkSize, headerSize);
        if (maxBody <= 0)
        {
            throw new OpcUaException(StatusCodes.BadTcpInternalError, "The send buffer is too small for the headers.");
        }

        var chunkCount = Math.Max(1, (body.Length + maxBody - 1) / maxBody);
        if ((limits.PeerMaxMessageSize != 0 && body.Length > limits.PeerMaxMessageSize) ||
            (limits.PeerMaxChunkCount != 0 && chunkCount > limits.PeerMaxChunkCount))
        {
            throw new OpcUaException(tooLarge, $"Message of {body.Length} bytes in {chunkCount} chunks exceeds the peer's limits.");
        }

        var offset = 0;
        for (var i = 0; i < chunkCount; i++)
        {
            var part = Math.Min(maxBody, body.Length - offset);
            var isFinal = i == chunkCount - 1;
            var span = output.GetSpan(headerSize + SequenceHeader.Size + part + protection.MaxTrailerSize);
            var at = headers.Write(span, isFinal ? MessageTypes.Final : MessageTypes.Intermediate);
            _lastSequenceNumber = SequenceHeader.Next(_lastSequenceNumber);
            BinaryPrimitives.WriteUInt32LittleEndian(span[at..], _lastSequenceNumber);
            BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], requestId);
            at += SequenceHeader.Size;
            body.Slice(offset, part).CopyTo(span[at..]);
            var length = protection.Protect(span, at - SequenceHeader.Size, at + part);
            BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
            output.Advance(length);
            offset += part;
        }
    }

    /// <summary>Writes an abort chunk ('A') telling the peer that a message was dropped mid-way and why.</summary>
    public void WriteAbort(IBufferWriter<byte> output, ChunkHeaders headers, uint requestId, StatusCode status, string reason, IChunkProtection protection)
    {
        using var body = new ByteBuffer(256);
        var w = new UaWriter(body);
        w.WriteStatusCode(status);
        w.WriteString(reason);
        var headerSize = headers.EncodedSize;
        var span = output.GetSpan(headerSize + SequenceHeader.Size + body.Length + protection.MaxTrailerSize);
        var at = headers.Write(span, MessageTypes.Abort);
        _lastSequenceNumber = SequenceHeader.Next(_lastSequenceNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(span[at..], _lastSequenceNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(span[(at + 4)..], requestId);
        at += SequenceHeader.Size;
        body.WrittenSpan.CopyTo(span[at..]);
        var length = protection.Protect(span, at - SequenceHeader.Size, at + body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], (uint)length);
        output.Advance(length);
    }
}
