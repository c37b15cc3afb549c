using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>One hop of a relative path (Part 4 §7, RelativePath).</summary>
public sealed class RelativePathElement : IEncodeable<RelativePathElement>
{
    public static uint EncodingId => 539;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId ReferenceTypeId { get; set; } = ReferenceTypeIds.HierarchicalReferences;

    public bool IsInverse { get; set; }

    public bool IncludeSubtypes { get; set; } = true;

    public QualifiedName TargetName { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(ReferenceTypeId);
        w.WriteBoolean(IsInverse);
        w.WriteBoolean(IncludeSubtypes);
        w.WriteQualifiedName(TargetName);
    }

    public static RelativePathElement Decode(ref UaReader r) => new()
    {
        ReferenceTypeId = r.ReadNodeId(),
        IsInverse = r.ReadBoolean(),
        IncludeSubtypes = r.ReadBoolean(),
        TargetName = r.ReadQualifiedName(),
    };
}

/// <summary>A start node and the hops from it (Part 4 §5.8.4).</summary>
public sealed class BrowsePath : IEncodeable<BrowsePath>
{
    public static uint EncodingId => 545;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId StartingNode { get; set; }

    public RelativePathElement[] RelativePath { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(StartingNode);
        w.WriteEncodeableArray(RelativePath); // RelativePath is a structure holding only this array.
    }

    public static BrowsePath Decode(ref UaReader r) =>
        new() { StartingNode = r.ReadNodeId(), RelativePath = r.ReadEncodeableArray<RelativePathElement>() };
}

/// <summary>Part 4 §5.8.4.</summary>
public sealed class BrowsePathTarget : IEncodeable<BrowsePathTarget>
{
    public static uint EncodingId => 548;

    public NodeId BinaryEncodingId => EncodingId;

    public ExpandedNodeId TargetId { get; set; }

    /// <summary>uint.MaxValue when the whole path was followed.</summary>
    public uint RemainingPathIndex { get; set; } = uint.MaxValue;

    public void Encode(ref UaWriter w)
    {
        w.WriteExpandedNodeId(TargetId);
        w.WriteUInt32(RemainingPathIndex);
    }

    public static BrowsePathTarget Decode(ref UaReader r) =>
        new() { TargetId = r.ReadExpandedNodeId(), RemainingPathIndex = r.ReadUInt32() };
}

/// <summary>Part 4 §5.8.4.</summary>
public sealed class BrowsePathResult : IEncodeable<BrowsePathResult>
{
    public static uint EncodingId => 551;

    public NodeId BinaryEncodingId => EncodingId;

    public StatusCode StatusCode { get; set; }

    public BrowsePathTarget[] Targets { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(StatusCode);
        w.WriteEncodeableArray(Targets);
    }

    public static BrowsePathResult Decode(ref UaReader r) =>
        new() { StatusCode = r.ReadStatusCode(), Targets = r.ReadEncodeableArray<BrowsePathTarget>() };
}

/// <summary>TranslateBrowsePathsToNodeIds (Part 4 §5.8.4).</summary>
public sealed class TranslateBrowsePathsToNodeIdsRequest : IServiceRequest, IEncodeable<TranslateBrowsePathsToNodeIdsRequest>
{
    public static uint EncodingId => 554;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public BrowsePath[] BrowsePaths { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteEncodeableArray(BrowsePaths);
    }

    public static TranslateBrowsePathsToNodeIdsRequest Decode(ref UaReader r) =>
        new() { RequestHeader = RequestHeader.Decode(ref r), BrowsePaths = r.ReadEncodeableArray<BrowsePath>() };
}

/// <summary>Part 4 §5.8.4.</summary>
public sealed class TranslateBrowsePathsToNodeIdsResponse : IServiceResponse, IEncodeable<TranslateBrowsePathsToNodeIdsResponse>
{
    public static uint EncodingId => 557;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public BrowsePathResult[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static TranslateBrowsePathsToNodeIdsResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadEncodeableArray<BrowsePathResult>(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>RegisterNodes (Part 4 §5.8.5).</summary>
public sealed class RegisterNodesRequest : IServiceRequest, IEncodeable<RegisterNodesRequest>
{
    public static uint EncodingId => 560;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public NodeId[] NodesToRegister { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteNodeIdArray(NodesToRegister);
    }

    public static RegisterNodesRequest Decode(ref UaReader r) =>
        new() { RequestHeader = RequestHeader.Decode(ref r), NodesToRegister = r.ReadNodeIdArray() };
}

/// <summary>Part 4 §5.8.5.</summary>
public sealed class RegisterNodesResponse : IServiceResponse, IEncodeable<RegisterNodesResponse>
{
    public static uint EncodingId => 563;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public NodeId[] RegisteredNodeIds { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteNodeIdArray(RegisteredNodeIds);
    }

    public static RegisterNodesResponse Decode(ref UaReader r) =>
        new() { ResponseHeader = ResponseHeader.Decode(ref r), RegisteredNodeIds = r.ReadNodeIdArray() };
}

/// <summary>UnregisterNodes (Part 4 §5.8.6).</summary>
public sealed class UnregisterNodesRequest : IServiceRequest, IEncodeable<UnregisterNodesRequest>
{
    public static uint EncodingId => 566;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public NodeId[] NodesToUnregister { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteNodeIdArray(NodesToUnregister);
    }

    public static UnregisterNodesRequest Decode(ref UaReader r) =>
        new() { RequestHeader = RequestHeader.Decode(ref r), NodesToUnregister = r.ReadNodeIdArray() };
}

/// <summary>Part 4 §5.8.6.</summary>
public sealed class UnregisterNodesResponse : IServiceResponse, IEncodeable<UnregisterNodesResponse>
{
    public static uint EncodingId => 569;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public void Encode(ref UaWriter w) => ResponseHeader.Encode(ref w);

    public static UnregisterNodesResponse Decode(ref UaReader r) => new() { ResponseHeader = ResponseHeader.Decode(ref r) };
}
