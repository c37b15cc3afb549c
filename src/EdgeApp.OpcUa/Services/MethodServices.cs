using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>One method to call (Part 4 §5.11.2).</summary>
public sealed class CallMethodRequest : IEncodeable<CallMethodRequest>
{
    public static uint EncodingId => 706;

    public NodeId BinaryEncodingId => EncodingId;

    public NodeId ObjectId { get; set; }

    public NodeId MethodId { get; set; }

    public Variant[] InputArguments { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(ObjectId);
        w.WriteNodeId(MethodId);
        w.WriteVariantArray(InputArguments);
    }

    public static CallMethodRequest Decode(ref UaReader r) =>
        new() { ObjectId = r.ReadNodeId(), MethodId = r.ReadNodeId(), InputArguments = r.ReadVariantArray() };
}

/// <summary>Part 4 §5.11.2.</summary>
public sealed class CallMethodResult : IEncodeable<CallMethodResult>
{
    public static uint EncodingId => 709;

    public NodeId BinaryEncodingId => EncodingId;

    public StatusCode StatusCode { get; set; }

    public StatusCode[] InputArgumentResults { get; set; } = [];

    public DiagnosticInfo?[] InputArgumentDiagnosticInfos { get; set; } = [];

    public Variant[] OutputArguments { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(StatusCode);
        w.WriteStatusCodeArray(InputArgumentResults);
        w.WriteDiagnosticInfoArray(InputArgumentDiagnosticInfos);
        w.WriteVariantArray(OutputArguments);
    }

    public static CallMethodResult Decode(ref UaReader r) => new()
    {
        StatusCode = r.ReadStatusCode(),
        InputArgumentResults = r.ReadStatusCodeArray(),
        InputArgumentDiagnosticInfos = r.ReadDiagnosticInfoArray(),
        OutputArguments = r.ReadVariantArray(),
    };
}

/// <summary>Call (Part 4 §5.11.2).</summary>
public sealed class CallRequest : IServiceRequest, IEncodeable<CallRequest>
{
    public static uint EncodingId => 712;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public CallMethodRequest[] MethodsToCall { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteEncodeableArray(MethodsToCall);
    }

    public static CallRequest Decode(ref UaReader r) =>
        new() { RequestHeader = RequestHeader.Decode(ref r), MethodsToCall = r.ReadEncodeableArray<CallMethodRequest>() };
}

/// <summary>Part 4 §5.11.2.</summary>
public sealed class CallResponse : IServiceResponse, IEncodeable<CallResponse>
{
    public static uint EncodingId => 715;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public CallMethodResult[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static CallResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Results = r.ReadEncodeableArray<CallMethodResult>(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}
