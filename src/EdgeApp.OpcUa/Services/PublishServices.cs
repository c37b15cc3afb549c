using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>Part 4 §5.13.5: "I received this message", carried by the next Publish request.</summary>
public readonly record struct SubscriptionAcknowledgement(uint SubscriptionId, uint SequenceNumber) : IEncodeable<SubscriptionAcknowledgement>
{
    public static uint EncodingId => 823;

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32(SequenceNumber);
    }

    public static SubscriptionAcknowledgement Decode(ref UaReader r)
    {
        var id = r.ReadUInt32();
        return new SubscriptionAcknowledgement(id, r.ReadUInt32());
    }
}

/// <summary>
/// One value of one monitored item in a DataChangeNotification (Part 4 §7.20.2). A struct: a notification of 1,000
/// values decodes into one array.
/// </summary>
public readonly record struct MonitoredItemNotification(uint ClientHandle, DataValue Value) : IEncodeable<MonitoredItemNotification>
{
    public static uint EncodingId => 808;

    public NodeId BinaryEncodingId => EncodingId;

    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(ClientHandle);
        w.WriteDataValue(Value);
    }

    public static MonitoredItemNotification Decode(ref UaReader r)
    {
        var handle = r.ReadUInt32();
        return new MonitoredItemNotification(handle, r.ReadDataValue());
    }
}

/// <summary>DataChangeNotification (Part 4 §7.20.2).</summary>
public sealed class DataChangeNotification : IEncodeable<DataChangeNotification>
{
    public static uint EncodingId => 811;

    public NodeId BinaryEncodingId => EncodingId;

    public MonitoredItemNotification[] MonitoredItems { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteEncodeableArray(MonitoredItems);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static DataChangeNotification Decode(ref UaReader r)
    {
        // Each MonitoredItemNotification takes at least 5 bytes (handle + DataValue mask).
        var count = r.ReadArrayLength(5);
        var items = r.NewArray<MonitoredItemNotification>(count);
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = MonitoredItemNotification.Decode(ref r);
        }

        return new DataChangeNotification { MonitoredItems = items, DiagnosticInfos = r.ReadDiagnosticInfoArray() };
    }
}

/// <summary>StatusChangeNotification (Part 4 §7.20.4): the subscription itself changed state (timed out, transferred).</summary>
public sealed class StatusChangeNotification : IEncodeable<StatusChangeNotification>
{
    public static uint EncodingId => 820;

    public NodeId BinaryEncodingId => EncodingId;

    public StatusCode Status { get; set; }

    public DiagnosticInfo? DiagnosticInfo { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(Status);
        w.WriteDiagnosticInfo(DiagnosticInfo);
    }

    public static StatusChangeNotification Decode(ref UaReader r) => new() { Status = r.ReadStatusCode(), DiagnosticInfo = r.ReadDiagnosticInfo() };
}

/// <summary>NotificationMessage (Part 4 §7.21): a keep-alive when it carries no NotificationData.</summary>
public sealed class NotificationMessage : IEncodeable<NotificationMessage>
{
    public static uint EncodingId => 805;

    public NodeId BinaryEncodingId => EncodingId;

    public uint SequenceNumber { get; set; }

    public DateTime PublishTime { get; set; }

    /// <summary><see cref="DataChangeNotification"/>, <see cref="StatusChangeNotification"/> or unknown bodies (events).</summary>
    public ExtensionObject[] NotificationData { get; set; } = [];

    public bool IsKeepAlive => NotificationData.Length == 0;

    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(SequenceNumber);
        w.WriteDateTime(PublishTime);
        if (!w.WriteArrayLength(NotificationData))
        {
            return;
        }

        foreach (var data in NotificationData)
        {
            w.WriteExtensionObject(data);
        }
    }

    public static NotificationMessage Decode(ref UaReader r)
    {
        var message = new NotificationMessage { SequenceNumber = r.ReadUInt32(), PublishTime = r.ReadDateTime() };
        var count = r.ReadArrayLength(3);
        var data = r.NewArray<ExtensionObject>(count);
        for (var i = 0; i < data.Length; i++)
        {
            data[i] = r.ReadExtensionObject();
        }

        message.NotificationData = data;
        return message;
    }
}

/// <summary>
/// A NotificationMessage the server encoded once, straight from its monitored item queues, and keeps for Republish.
/// Reference counted: the retransmission queue holds one reference and every response carrying it one more; the pooled
/// buffer goes back when the last is released.
/// </summary>
internal sealed class EncodedNotification
{
    private ByteBuffer? _buffer;
    private int _references = 1;

    public EncodedNotification(ByteBuffer buffer, uint sequenceNumber, DateTime publishTime, int notificationCount)
    {
        _buffer = buffer;
        SequenceNumber = sequenceNumber;
        PublishTime = publishTime;
        NotificationCount = notificationCount;
    }

    public uint SequenceNumber { get; }

    public DateTime PublishTime { get; }

    public int NotificationCount { get; }

    public int Length => _buffer?.Length ?? 0;

    public ReadOnlySpan<byte> Bytes => (_buffer ?? throw new ObjectDisposedException(nameof(EncodedNotification))).WrittenSpan;

    /// <summary>Adds a reference; false when the message was already released.</summary>
    public bool TryAddReference()
    {
        var current = Volatile.Read(ref _references);
        while (current > 0)
        {
            var seen = Interlocked.CompareExchange(ref _references, current + 1, current);
            if (seen == current)
            {
                return true;
            }

            current = seen;
        }

        return false;
    }

    public void Release()
    {
        if (Interlocked.Decrement(ref _references) == 0 && Interlocked.Exchange(ref _buffer, null) is { } buffer)
        {
            ByteBufferPool.Return(buffer);
        }
    }
}

/// <summary>A response that holds pooled resources until it has been encoded (or dropped).</summary>
internal interface IPooledResponse
{
    void ReleasePooled();
}

/// <summary>Publish (Part 4 §5.13.5).</summary>
public sealed class PublishRequest : IServiceRequest, IEncodeable<PublishRequest>
{
    public static uint EncodingId => 826;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public SubscriptionAcknowledgement[] SubscriptionAcknowledgements { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteEncodeableArray(SubscriptionAcknowledgements);
    }

    public static PublishRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionAcknowledgements = r.ReadEncodeableArray<SubscriptionAcknowledgement>(),
    };
}

/// <summary>
/// Part 4 §5.13.5. A server sets the internal pre-encoded message instead of <see cref="NotificationMessage"/>, so the
/// notifications are never materialised as objects; a client decodes into <see cref="NotificationMessage"/>.
/// </summary>
public sealed class PublishResponse : IServiceResponse, IEncodeable<PublishResponse>, IPooledResponse
{
    private EncodedNotification? _encoded;

    public static uint EncodingId => 829;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public uint[] AvailableSequenceNumbers { get; set; } = [];

    public bool MoreNotifications { get; set; }

    public NotificationMessage NotificationMessage { get; set; } = new();

    public StatusCode[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    /// <summary>The server's pre-encoded message; this response owns one reference until it is encoded or dropped.</summary>
    internal EncodedNotification? Encoded
    {
        get => _encoded;
        set => _encoded = value;
    }

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32Array(AvailableSequenceNumbers);
        w.WriteBoolean(MoreNotifications);
        if (_encoded is { } encoded)
        {
            w.WriteRaw(encoded.Bytes);
        }
        else
        {
            NotificationMessage.Encode(ref w);
        }

        w.WriteStatusCodeArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    void IPooledResponse.ReleasePooled() => Interlocked.Exchange(ref _encoded, null)?.Release();

    public static PublishResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        AvailableSequenceNumbers = r.ReadUInt32Array(),
        MoreNotifications = r.ReadBoolean(),
        NotificationMessage = NotificationMessage.Decode(ref r),
        Results = r.ReadStatusCodeArray(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>Republish (Part 4 §5.13.6): asks again for a message still in the retransmission queue.</summary>
public sealed class RepublishRequest : IServiceRequest, IEncodeable<RepublishRequest>
{
    public static uint EncodingId => 832;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint SubscriptionId { get; set; }

    public uint RetransmitSequenceNumber { get; set; }

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32(SubscriptionId);
        w.WriteUInt32(RetransmitSequenceNumber);
    }

    public static RepublishRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        SubscriptionId = r.ReadUInt32(),
        RetransmitSequenceNumber = r.ReadUInt32(),
    };
}

/// <summary>Part 4 §5.13.6.</summary>
public sealed class RepublishResponse : IServiceResponse, IEncodeable<RepublishResponse>, IPooledResponse
{
    private EncodedNotification? _encoded;

    public static uint EncodingId => 835;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public NotificationMessage NotificationMessage { get; set; } = new();

    internal EncodedNotification? Encoded
    {
        get => _encoded;
        set => _encoded = value;
    }

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        if (_encoded is { } encoded)
        {
            w.WriteRaw(encoded.Bytes);
        }
        else
        {
            NotificationMessage.Encode(ref w);
        }
    }

    void IPooledResponse.ReleasePooled() => Interlocked.Exchange(ref _encoded, null)?.Release();

    public static RepublishResponse Decode(ref UaReader r) =>
        new() { ResponseHeader = ResponseHeader.Decode(ref r), NotificationMessage = NotificationMessage.Decode(ref r) };
}
