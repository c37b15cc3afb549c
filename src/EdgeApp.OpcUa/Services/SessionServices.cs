using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>SignatureData, one of the common parameter types of Part 4 §7.</summary>
public sealed class SignatureData : IEncodeable<SignatureData>
{
    public static uint EncodingId => 458;

    public NodeId BinaryEncodingId => EncodingId;

    public string? Algorithm { get; set; }

    public byte[]? Signature { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteString(Algorithm);
        w.WriteByteString(Signature);
    }

    public static SignatureData Decode(ref UaReader r) => new() { Algorithm = r.ReadString(), Signature = r.ReadByteString() };
}

/// <summary>SignedSoftwareCertificate, one of the common parameter types of Part 4 §7.</summary>
public sealed class SignedSoftwareCertificate : IEncodeable<SignedSoftwareCertificate>
{
    public static uint EncodingId => 346;

    public NodeId BinaryEncodingId => EncodingId;

    public byte[]? CertificateData { get; set; }

    public byte[]? Signature { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteByteString(CertificateData);
        w.WriteByteString(Signature);
    }

    public static SignedSoftwareCertificate Decode(ref UaReader r) =>
        new() { CertificateData = r.ReadByteString(), Signature = r.ReadByteString() };
}

/// <summary>CreateSession (Part 4 §5.6.2).</summary>
public sealed class CreateSessionRequest : IServiceRequest, IEncodeable<CreateSessionRequest>
{
    public static uint EncodingId => 461;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public ApplicationDescription ClientDescription { get; set; } = new();

    public string? ServerUri { get; set; }

    public string? EndpointUrl { get; set; }

    public string? SessionName { get; set; }

    public byte[]? ClientNonce { get; set; }

    public byte[]? ClientCertificate { get; set; }

    /// <summary>Milliseconds.</summary>
    public double RequestedSessionTimeout { get; set; }

    public uint MaxResponseMessageSize { get; set; }

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        ClientDescription.Encode(ref w);
        w.WriteString(ServerUri);
        w.WriteString(EndpointUrl);
        w.WriteString(SessionName);
        w.WriteByteString(ClientNonce);
        w.WriteByteString(ClientCertificate);
        w.WriteDouble(RequestedSessionTimeout);
        w.WriteUInt32(MaxResponseMessageSize);
    }

    public static CreateSessionRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        ClientDescription = ApplicationDescription.Decode(ref r),
        ServerUri = r.ReadString(),
        EndpointUrl = r.ReadString(),
        SessionName = r.ReadString(),
        ClientNonce = r.ReadByteString(),
        ClientCertificate = r.ReadByteString(),
        RequestedSessionTimeout = r.ReadDouble(),
        MaxResponseMessageSize = r.ReadUInt32(),
    };
}

/// <summary>Part 4 §5.6.2.</summary>
public sealed class CreateSessionResponse : IServiceResponse, IEncodeable<CreateSessionResponse>
{
    public static uint EncodingId => 464;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public NodeId SessionId { get; set; }

    /// <summary>The secret the client puts in every request header of this session.</summary>
    public NodeId AuthenticationToken { get; set; }

    public double RevisedSessionTimeout { get; set; }

    public byte[]? ServerNonce { get; set; }

    public byte[]? ServerCertificate { get; set; }

    public EndpointDescription[] ServerEndpoints { get; set; } = [];

    public SignedSoftwareCertificate[] ServerSoftwareCertificates { get; set; } = [];

    public SignatureData ServerSignature { get; set; } = new();

    public uint MaxRequestMessageSize { get; set; }

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteNodeId(SessionId);
        w.WriteNodeId(AuthenticationToken);
        w.WriteDouble(RevisedSessionTimeout);
        w.WriteByteString(ServerNonce);
        w.WriteByteString(ServerCertificate);
        w.WriteEncodeableArray(ServerEndpoints);
        w.WriteEncodeableArray(ServerSoftwareCertificates);
        ServerSignature.Encode(ref w);
        w.WriteUInt32(MaxRequestMessageSize);
    }

    public static CreateSessionResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        SessionId = r.ReadNodeId(),
        AuthenticationToken = r.ReadNodeId(),
        RevisedSessionTimeout = r.ReadDouble(),
        ServerNonce = r.ReadByteString(),
        ServerCertificate = r.ReadByteString(),
        ServerEndpoints = r.ReadEncodeableArray<EndpointDescription>(),
        ServerSoftwareCertificates = r.ReadEncodeableArray<SignedSoftwareCertificate>(),
        ServerSignature = SignatureData.Decode(ref r),
        MaxRequestMessageSize = r.ReadUInt32(),
    };
}

/// <summary>ActivateSession (Part 4 §5.6.3).</summary>
public sealed class ActivateSessionRequest : IServiceRequest, IEncodeable<ActivateSessionRequest>
{
    public static uint EncodingId => 467;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public SignatureData ClientSignature { get; set; } = new();

    public SignedSoftwareCertificate[] ClientSoftwareCertificates { get; set; } = [];

    public string?[] LocaleIds { get; set; } = [];

    /// <summary>An AnonymousIdentityToken or UserNameIdentityToken (X509 and issued tokens plug in later).</summary>
    public ExtensionObject? UserIdentityToken { get; set; }

    public SignatureData UserTokenSignature { get; set; } = new();

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        ClientSignature.Encode(ref w);
        w.WriteEncodeableArray(ClientSoftwareCertificates);
        w.WriteStringArray(LocaleIds);
        w.WriteExtensionObject(UserIdentityToken);
        UserTokenSignature.Encode(ref w);
    }

    public static ActivateSessionRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        ClientSignature = SignatureData.Decode(ref r),
        ClientSoftwareCertificates = r.ReadEncodeableArray<SignedSoftwareCertificate>(),
        LocaleIds = r.ReadStringArray(),
        UserIdentityToken = r.ReadExtensionObject(),
        UserTokenSignature = SignatureData.Decode(ref r),
    };
}

/// <summary>Part 4 §5.6.3.</summary>
public sealed class ActivateSessionResponse : IServiceResponse, IEncodeable<ActivateSessionResponse>
{
    public static uint EncodingId => 470;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public byte[]? ServerNonce { get; set; }

    public StatusCode[] Results { get; set; } = [];

    public DiagnosticInfo?[] DiagnosticInfos { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteByteString(ServerNonce);
        w.WriteStatusCodeArray(Results);
        w.WriteDiagnosticInfoArray(DiagnosticInfos);
    }

    public static ActivateSessionResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        ServerNonce = r.ReadByteString(),
        Results = r.ReadStatusCodeArray(),
        DiagnosticInfos = r.ReadDiagnosticInfoArray(),
    };
}

/// <summary>CloseSession (Part 4 §5.6.4).</summary>
public sealed class CloseSessionRequest : IServiceRequest, IEncodeable<CloseSessionRequest>
{
    public static uint EncodingId => 473;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public bool DeleteSubscriptions { get; set; } = true;

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteBoolean(DeleteSubscriptions);
    }

    public static CloseSessionRequest Decode(ref UaReader r) =>
        new() { RequestHeader = RequestHeader.Decode(ref r), DeleteSubscriptions = r.ReadBoolean() };
}

/// <summary>Part 4 §5.6.4.</summary>
public sealed class CloseSessionResponse : IServiceResponse, IEncodeable<CloseSessionResponse>
{
    public static uint EncodingId => 476;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public void Encode(ref UaWriter w) => ResponseHeader.Encode(ref w);

    public static CloseSessionResponse Decode(ref UaReader r) => new() { ResponseHeader = ResponseHeader.Decode(ref r) };
}
