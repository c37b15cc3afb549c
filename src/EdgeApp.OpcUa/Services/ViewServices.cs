using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>ViewDescription, one of the common parameter types of Part 4 §7.</summary>
public sealed class ViewDescription : IEncodeable<ViewDescription>
{
    public static uint EncodingId => 513;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId ViewId { get; set; }

    public DateTime Timestamp { get; set; }

    public uint ViewVersion { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(ViewId);
        w.WriteDateTime(Timestamp);
        w.WriteUInt32(ViewVersion);
    }

    public static ViewDescription Decode(ref UaReader r) =>
        new() { ViewId = r.ReadNodeId(), Timestamp = r.ReadDateTime(), ViewVersion = r.ReadUInt32() };
}

/// <summary>What to browse from one node (Part 4 §5.8.2.2).</summary>
public sealed class BrowseDescription : IEncodeable<BrowseDescription>
{
    public static uint EncodingId => 516;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId NodeId { get; set; }

    public BrowseDirection BrowseDirection { get; set; }

    /// <summary>Null means all references.</summary>
    public NodeId ReferenceTypeId { get; set; }

    public bool IncludeSubtypes { get; set; } = true;

    /// <summary>A <see cref="NodeClass"/> mask; 0 means all classes.</summary>
    public uint NodeClassMask { get; set; }

    public BrowseResultMask ResultMask { get; set; } = BrowseResultMask.All;

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(NodeId);
        w.WriteInt32((int)BrowseDirection);
        w.WriteNodeId(ReferenceTypeId);
        w.WriteBoolean(IncludeSubtypes);
        w.WriteUInt32(NodeClassMask);
        w.WriteUInt32((uint)ResultMask);
    }

    public static BrowseDescription Decode(ref UaReader r) => new()
    {
        NodeId = r.ReadNodeId(),
        BrowseDirection = (BrowseDirection)r.ReadInt32(),
        ReferenceTypeId = r.ReadNodeId(),
        IncludeSubtypes = r.ReadBoolean(),
        NodeClassMask = r.ReadUInt32(),
        ResultMask = (BrowseResultMask)r.ReadUInt32(),
    };
}

/// <summary>One reference found by Browse (Part 4 §7).</summary>
public sealed class ReferenceDescription : IEncodeable<ReferenceDescription>
{
    public static uint EncodingId => 520;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId ReferenceTypeId { get; set; }

    public bool IsForward { get; set; }

    public ExpandedNodeId NodeId { get; set; }

    public QualifiedName BrowseName { get; set; }

    public LocalizedText DisplayName { get; set; }

    public NodeClass NodeClass { get; set; }

    public ExpandedNodeId TypeDefinition { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(ReferenceTypeId);
        w.WriteBoolean(IsForward);
        w.WriteExpandedNodeId(NodeId);
        w.WriteQualifiedName(BrowseName);
        w.WriteLocalizedText(DisplayName);
        w.WriteInt32((int)NodeClass);
        w.WriteExpandedNodeId(TypeDefinition);
    }

    public static ReferenceDescription Decode(ref UaReader r) => new()
    {
        ReferenceTypeId = r.ReadNodeId(),
        IsForward = r.ReadBoolean(),
        NodeId = r.ReadExpandedNodeId(),
        BrowseName = r.ReadQualifiedName(),
        DisplayName = r.ReadLocalizedText(),
        NodeClass = (NodeClass)r.ReadInt32(),
        TypeDefinition = r.ReadExpandedNodeId(),
    };

    public override string ToString() => $"{BrowseName} ({NodeId}, {NodeClass})";
}

/// <summary>BrowseResult, one of the common parameter types of Part 4 §7.</summary>
public sealed class BrowseResult : IEncodeable<BrowseResult>
{
    public static uint EncodingId => 524;

    public NodeId BinaryEncodingId => EncodingId;

    public StatusCode StatusCode { get; set; }

    /// <summary>Non-null when more references remain: pass it to BrowseNext.</summary>
    public byte[]? ContinuationPoint { get; set; }

    public ReferenceDescription[] References { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(StatusCode);
        w.WriteByteString(ContinuationPoint);
        w.WriteEncodeableArray(References);
    }

    public static BrowseResult Decode(ref UaReader r) => new()
    {
        StatusCode = r.ReadStatusCode(),
        ContinuationPoint = r.ReadByteString(),
        References = r.ReadEncodeableArray<ReferenceDescription>(),
    };
}

/// <summary>Browse (Part 4 §5.8.2).</summary>
public sealed class BrowseRequest : IServiceRequest, IEncodeable<BrowseRequest>
{
    public static uint EncodingId => 527;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public ViewDescription View { get; set; } = new();

    /// <summary>0 means no client limit.</summary>
    public uint RequestedMaxReferencesPerNode { get; set; }

    public BrowseDescription[] NodesToBrowse { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        View.Encode(ref w);
        w.WriteUInt32(RequestedMaxReferencesPerNode);
        w.WriteEncodeableArray(NodesToBrowse);
    }

    public static BrowseRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        View = ViewDescription.Decode(ref r),
        RequestedMaxReferencesPerNode = r.ReadUInt32(),
        NodesToBrowse = r.ReadEncodeableArray<BrowseDescription>(),
    };
}

/// <summary>Part 4 §5.8.2.</summary>
public sealed class BrowseResponse : IServiceResponse, IEncodeable<BrowseResponse>
{
    public static uint EncodingId => 530;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public BrowseResult[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static BrowseResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadEncodeableArray<BrowseResult>(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>BrowseNext (Part 4 §5.8.3).</summary>
public sealed class BrowseNextRequest : IServiceRequest, IEncodeable<BrowseNextRequest>
{
    public static uint EncodingId => 533;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public bool ReleaseContinuationPoints { get; set; }

    public byte[]?[] ContinuationPoints { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteBoolean(ReleaseContinuationPoints);
        if (w.WriteArrayLength(ContinuationPoints))
        {
            foreach (var point in ContinuationPoints)
            {
                w.WriteByteString(point);
            }
        }
    }

    public static BrowseNextRequest Decode(ref UaReader r)
    {
        var request = new BrowseNextRequest { RequestHeader = RequestHeader.Decode(ref r), ReleaseContinuationPoints = r.ReadBoolean() };
        var count = r.ReadArrayLength(4);
        request.ContinuationPoints = r.NewArray<byte[]?>(count);
        for (var i = 0; i < request.ContinuationPoints.Length; i++)
        {
            request.ContinuationPoints[i] = r.ReadByteString();
        }

        return request;
    }
}

/// <summary>Part 4 §5.8.3.</summary>
public sealed class BrowseNextResponse : IServiceResponse, IEncodeable<BrowseNextResponse>
{
    public static uint EncodingId => 536;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public BrowseResult[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static BrowseNextResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadEncodeableArray<BrowseResult>(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}
