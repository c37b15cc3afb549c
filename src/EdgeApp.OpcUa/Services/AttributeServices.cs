using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>Which attribute of which node to read (Part 4 §7, ReadValueId).</summary>
public sealed class ReadValueId : IEncodeable<ReadValueId>
{
    public static uint EncodingId => 628;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId NodeId { get; set; }

    public AttributeId AttributeId { get; set; } = AttributeId.Value;

    public string? IndexRange { get; set; }

    public QualifiedName DataEncoding { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(NodeId);
        w.WriteUInt32((uint)AttributeId);
        w.WriteString(IndexRange);
        w.WriteQualifiedName(DataEncoding);
    }

    public static ReadValueId Decode(ref UaReader r) => new()
    {
        NodeId = r.ReadNodeId(),
        AttributeId = (AttributeId)r.ReadUInt32(),
        IndexRange = r.ReadString(),
        DataEncoding = r.ReadQualifiedName(),
    };
}

/// <summary>Read (Part 4 §5.10.2).</summary>
public sealed class ReadRequest : IServiceRequest, IEncodeable<ReadRequest>
{
    public static uint EncodingId => 631;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public double MaxAge { get; set; }

    public TimestampsToReturn TimestampsToReturn { get; set; } = TimestampsToReturn.Both;

    public ReadValueId[] NodesToRead { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteDouble(MaxAge);
        w.WriteInt32((int)TimestampsToReturn);
        w.WriteEncodeableArray(NodesToRead);
    }

    public static ReadRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        MaxAge = r.ReadDouble(),
        TimestampsToReturn = (TimestampsToReturn)r.ReadInt32(),
        NodesToRead = r.ReadEncodeableArray<ReadValueId>(),
    };
}

/// <summary>Part 4 §5.10.2. Results is an array of structs: encoding and decoding it allocates one array.</summary>
public sealed class ReadResponse : IServiceResponse, IEncodeable<ReadResponse>
{
    public static uint EncodingId => 634;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public DataValue[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteDataValueArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static ReadResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadDataValueArray(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>Part 4 §5.10.4.</summary>
public sealed class WriteValue : IEncodeable<WriteValue>
{
    public static uint EncodingId => 670;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId NodeId { get; set; }

    public AttributeId AttributeId { get; set; } = AttributeId.Value;

    public string? IndexRange { get; set; }

    public DataValue Value { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(NodeId);
        w.WriteUInt32((uint)AttributeId);
        w.WriteString(IndexRange);
        w.WriteDataValue(Value);
    }

    public static WriteValue Decode(ref UaReader r) => new()
    {
        NodeId = r.ReadNodeId(),
        AttributeId = (AttributeId)r.ReadUInt32(),
        IndexRange = r.ReadString(),
        Value = r.ReadDataValue(),
    };
}

/// <summary>Write (Part 4 §5.10.4).</summary>
public sealed class WriteRequest : IServiceRequest, IEncodeable<WriteRequest>
{
    public static uint EncodingId => 673;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public WriteValue[] NodesToWrite { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteEncodeableArray(NodesToWrite);
    }

    public static WriteRequest Decode(ref UaReader r) =>
        new() { RequestHeader = RequestHeader.Decode(ref r), NodesToWrite = r.ReadEncodeableArray<WriteValue>() };
}

/// <summary>Part 4 §5.10.4.</summary>
public sealed class WriteResponse : IServiceResponse, IEncodeable<WriteResponse>
{
    public static uint EncodingId => 676;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public StatusCode[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteStatusCodeArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static WriteResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadStatusCodeArray(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}
