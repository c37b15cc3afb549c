using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>A service request: carries the common <see cref="Services.RequestHeader"/> (Part 4 §7).</summary>
public interface IServiceRequest : IEncodeable
{
    RequestHeader RequestHeader { get; set; }
}

/// <summary>A service response: carries the common <see cref="Services.ResponseHeader"/> (Part 4 §7).</summary>
public interface IServiceResponse : IEncodeable
{
    ResponseHeader ResponseHeader { get; set; }
}

/// <summary>RequestHeader, one of the common parameter types of Part 4 §7.</summary>
public sealed class RequestHeader
{
    public NodeId AuthenticationToken { get; set; }

    public DateTime Timestamp { get; set; }

    public uint RequestHandle { get; set; }

    public uint ReturnDiagnostics { get; set; }

    public string? AuditEntryId { get; set; }

    /// <summary>Milliseconds the client waits; 0 means no timeout.</summary>
    public uint TimeoutHint { get; set; }

    public ExtensionObject? AdditionalHeader { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteNodeId(AuthenticationToken);
        w.WriteDateTime(Timestamp);
        w.WriteUInt32(RequestHandle);
        w.WriteUInt32(ReturnDiagnostics);
        w.WriteString(AuditEntryId);
        w.WriteUInt32(TimeoutHint);
        w.WriteExtensionObject(AdditionalHeader);
    }

    public static RequestHeader Decode(ref UaReader r) => new()
    {
        AuthenticationToken = r.ReadNodeId(),
        Timestamp = r.ReadDateTime(),
        RequestHandle = r.ReadUInt32(),
        ReturnDiagnostics = r.ReadUInt32(),
        AuditEntryId = r.ReadString(),
        TimeoutHint = r.ReadUInt32(),
        AdditionalHeader = r.ReadExtensionObject(),
    };
}

/// <summary>ResponseHeader, one of the common parameter types of Part 4 §7.</summary>
public sealed class ResponseHeader
{
    public DateTime Timestamp { get; set; }

    public uint RequestHandle { get; set; }

    public StatusCode ServiceResult { get; set; }

    public DiagnosticInfo? ServiceDiagnostics { get; set; }

    public string?[] StringTable { get; set; } = [];

    public ExtensionObject? AdditionalHeader { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteDateTime(Timestamp);
        w.WriteUInt32(RequestHandle);
        w.WriteStatusCode(ServiceResult);
        w.WriteDiagnosticInfo(ServiceDiagnostics);
        w.WriteStringArray(StringTable);
        w.WriteExtensionObject(AdditionalHeader);
    }

    public static ResponseHeader Decode(ref UaReader r) => new()
    {
        Timestamp = r.ReadDateTime(),
        RequestHandle = r.ReadUInt32(),
        ServiceResult = r.ReadStatusCode(),
        ServiceDiagnostics = r.ReadDiagnosticInfo(),
        StringTable = r.ReadStringArray(),
        AdditionalHeader = r.ReadExtensionObject(),
    };

    /// <summary>A header answering <paramref name="request"/>.</summary>
    public static ResponseHeader For(RequestHeader request, StatusCode result = default) => new()
    {
        Timestamp = DateTime.UtcNow,
        RequestHandle = request.RequestHandle,
        ServiceResult = result,
    };
}

/// <summary>The response to any request that failed as a whole (Part 4 §7).</summary>
public sealed class ServiceFault : IServiceResponse, IEncodeable<ServiceFault>
{
    public static uint EncodingId => 397;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public void Encode(ref UaWriter w) => ResponseHeader.Encode(ref w);

    public static ServiceFault Decode(ref UaReader r) => new() { ResponseHeader = ResponseHeader.Decode(ref r) };
}
