using System.Buffers.Binary;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.SecureChannel;

/// <summary>A whole received message (all chunks joined) or an abort notice. Dispose returns its buffers.</summary>
public sealed class ReceivedMessage : IDisposable
{
    private readonly Frame? _frame;
    private readonly ByteBuffer? _joined;
    private readonly int _bodyStart;
    private readonly int _bodyEnd;

    internal ReceivedMessage(uint messageType, uint requestId, Frame frame, int bodyStart, int bodyEnd)
    {
        MessageType = messageType;
        RequestId = requestId;
        _frame = frame;
        _bodyStart = bodyStart;
        _bodyEnd = bodyEnd;
    }

    internal ReceivedMessage(uint messageType, uint requestId, ByteBuffer joined)
    {
        MessageType = messageType;
        RequestId = requestId;
        _joined = joined;
        _bodyEnd = joined.Length;
    }

    internal ReceivedMessage(uint messageType, uint requestId, StatusCode abortStatus, string? abortReason)
    {
        MessageType = messageType;
        RequestId = requestId;
        AbortStatus = abortStatus;
        AbortReason = abortReason;
    }

    public uint MessageType { get; }

    public uint RequestId { get; }

    /// <summary>Set when the sender aborted this message with an 'A' chunk.</summary>
    public StatusCode? AbortStatus { get; }

    public string? AbortReason { get; }

    public ReadOnlySpan<byte> Body => _frame is not null
        ? _frame.Bytes[_bodyStart.._bodyEnd]
        : _joined is not null ? _joined.WrittenSpan : default;

    public void Dispose()
    {
        _frame?.Dispose();
        _joined?.Dispose();
    }
}

/// <summary>
/// Checks sequence numbers and joins chunks into messages (Part 6 §6.7.2), enforcing our own MaxMessageSize and
/// MaxChunkCount while the chunks arrive, so an endless message is cut off before it fills memory.
/// </summary>
public sealed class ChunkAssembler(uint maxMessageSize, uint maxChunkCount, StatusCode tooLargeStatus) : IDisposable
{
    private const int MaxInterleaved = 16;
    private readonly Dictionary<uint, (ByteBuffer Body, int Chunks)> _partial = [];
    private uint? _lastSequenceNumber;

    /// <summary>
    /// Takes ownership of <paramref name="frame"/>: unprotects it, validates its sequence number and returns the
    /// finished message, or null while more chunks are expected.
    /// </summary>
    public ReceivedMessage? Add(Frame frame, ChunkHeaders headers, IChunkProtection protection)
    {
        var keepFrame = false;
        try
        {
            var bodyEnd = protection.Unprotect(frame.MutableBytes, headers.HeaderSize);
            var bytes = frame.Bytes;
            if (bodyEnd < headers.HeaderSize + SequenceHeader.Size || bodyEnd > bytes.Length)
            {
                throw new OpcUaException(StatusCodes.BadDecodingError, "Chunk too short for its sequence header.");
            }

            var sequenceNumber = BinaryPrimitives.ReadUInt32LittleEndian(bytes[headers.HeaderSize..]);
            var requestId = BinaryPrimitives.ReadUInt32LittleEndian(bytes[(headers.HeaderSize + 4)..]);
            if (_lastSequenceNumber is { } last && !SequenceHeader.IsValidSuccessor(last, sequenceNumber))
            {
                throw new OpcUaException(StatusCodes.BadSequenceNumberInvalid, $"Sequence number {sequenceNumber} after {last}.");
            }

            _lastSequenceNumber = sequenceNumber;
            var bodyStart = headers.HeaderSize + SequenceHeader.Size;
            var body = bytes[bodyStart..bodyEnd];
            switch (frame.ChunkType)
            {
                case MessageTypes.Abort:
                    Drop(requestId);
                    var r = new UaReader(body);
                    var status = body.Length >= 4 ? r.ReadStatusCode() : StatusCodes.BadRequestInterrupted;
                    return new ReceivedMessage(frame.MessageType, requestId, status, body.Length >= 8 ? r.ReadString() : null);
                case MessageTypes.Final when !_partial.ContainsKey(requestId):
                    CheckSize(body.Length, 1);
                    keepFrame = true;
                    return new ReceivedMessage(frame.MessageType, requestId, frame, bodyStart, bodyEnd);
                default:
                    return Append(frame, requestId, body);
            }
        }
        finally
        {
            if (!keepFrame)
            {
                frame.Dispose();
            }
        }
    }

    private ReceivedMessage? Append(Frame frame, uint requestId, ReadOnlySpan<byte> body)
    {
        if (!_partial.TryGetValue(requestId, out var partial))
        {
            // Interleaved partial messages share the budget, so many small ones cannot add up to a large one.
            if (_partial.Count >= MaxInterleaved)
            {
                throw new OpcUaException(StatusCodes.BadTcpMessageTooLarge, $"More than {MaxInterleaved} messages in progress.");
            }

            partial = (new ByteBuffer(body.Length * 2), 0);
        }

        partial.Chunks++;
        var buffered = 0;
        foreach (var other in _partial.Values)
        {
            buffered += other.Body.Length;
        }

        CheckSize(buffered + body.Length, partial.Chunks, () => partial.Body.Dispose());
        partial.Body.Write(body);
        if (frame.ChunkType == MessageTypes.Final)
        {
            _partial.Remove(requestId);
            return new ReceivedMessage(frame.MessageType, requestId, partial.Body);
        }

        _partial[requestId] = partial;
        return null;
    }

    private void CheckSize(int bodyLength, int chunks, Action? onFail = null)
    {
        if (maxChunkCount != 0 && chunks > maxChunkCount)
        {
            onFail?.Invoke();
            throw new OpcUaException(StatusCodes.BadTcpMessageTooLarge, $"More than {maxChunkCount} chunks in one message.");
        }

        if (maxMessageSize != 0 && bodyLength > maxMessageSize)
        {
            onFail?.Invoke();
            throw new OpcUaException(tooLargeStatus, $"Message body over {maxMessageSize} bytes.");
        }
    }

    private void Drop(uint requestId)
    {
        if (_partial.Remove(requestId, out var partial))
        {
            partial.Body.Dispose();
        }
    }

    public void Dispose()
    {
        foreach (var (body, _) in _partial.Values)
        {
            body.Dispose();
        }

        _partial.Clear();
    }
}
