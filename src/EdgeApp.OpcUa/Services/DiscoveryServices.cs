using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>ApplicationDescription, one of the common parameter types of Part 4 §7.</summary>
public sealed class ApplicationDescription : IEncodeable<ApplicationDescription>
{
    public static uint EncodingId => 310;

    public NodeId BinaryEncodingId => EncodingId;

    public string? ApplicationUri { get; set; }

    public string? ProductUri { get; set; }

    public LocalizedText ApplicationName { get; set; }

    public ApplicationType ApplicationType { get; set; }

    public string? GatewayServerUri { get; set; }

    public string? DiscoveryProfileUri { get; set; }

    public string?[] DiscoveryUrls { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        w.WriteString(ApplicationUri);
        w.WriteString(ProductUri);
        w.WriteLocalizedText(ApplicationName);
        w.WriteInt32((int)ApplicationType);
        w.WriteString(GatewayServerUri);
        w.WriteString(DiscoveryProfileUri);
        w.WriteStringArray(DiscoveryUrls);
    }

    public static ApplicationDescription Decode(ref UaReader r) => new()
    {
        ApplicationUri = r.ReadString(),
        ProductUri = r.ReadString(),
        ApplicationName = r.ReadLocalizedText(),
        ApplicationType = (ApplicationType)r.ReadInt32(),
        GatewayServerUri = r.ReadString(),
        DiscoveryProfileUri = r.ReadString(),
        DiscoveryUrls = r.ReadStringArray(),
    };
}

/// <summary>UserTokenPolicy, one of the common parameter types of Part 4 §7.</summary>
public sealed class UserTokenPolicy : IEncodeable<UserTokenPolicy>
{
    public static uint EncodingId => 306;

    public NodeId BinaryEncodingId => EncodingId;

    public string? PolicyId { get; set; }

    public UserTokenType TokenType { get; set; }

    public string? IssuedTokenType { get; set; }

    public string? IssuerEndpointUrl { get; set; }

    public string? SecurityPolicyUri { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteString(PolicyId);
        w.WriteInt32((int)TokenType);
        w.WriteString(IssuedTokenType);
        w.WriteString(IssuerEndpointUrl);
        w.WriteString(SecurityPolicyUri);
    }

    public static UserTokenPolicy Decode(ref UaReader r) => new()
    {
        PolicyId = r.ReadString(),
        TokenType = (UserTokenType)r.ReadInt32(),
        IssuedTokenType = r.ReadString(),
        IssuerEndpointUrl = r.ReadString(),
        SecurityPolicyUri = r.ReadString(),
    };
}

/// <summary>EndpointDescription, one of the common parameter types of Part 4 §7.</summary>
public sealed class EndpointDescription : IEncodeable<EndpointDescription>
{
    public const string UaTcpTransportProfile = "http://opcfoundation.org/UA-Profile/Transport/uatcp-uasc-uabinary";

    public static uint EncodingId => 314;

    public NodeId BinaryEncodingId => EncodingId;

    public string? EndpointUrl { get; set; }

    public ApplicationDescription Server { get; set; } = new();

    public byte[]? ServerCertificate { get; set; }

    public MessageSecurityMode SecurityMode { get; set; }

    public string? SecurityPolicyUri { get; set; }

    public UserTokenPolicy[] UserIdentityTokens { get; set; } = [];

    public string? TransportProfileUri { get; set; }

    public byte SecurityLevel { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteString(EndpointUrl);
        Server.Encode(ref w);
        w.WriteByteString(ServerCertificate);
        w.WriteInt32((int)SecurityMode);
        w.WriteString(SecurityPolicyUri);
        w.WriteEncodeableArray(UserIdentityTokens);
        w.WriteString(TransportProfileUri);
        w.WriteByte(SecurityLevel);
    }

    public static EndpointDescription Decode(ref UaReader r) => new()
    {
        EndpointUrl = r.ReadString(),
        Server = ApplicationDescription.Decode(ref r),
        ServerCertificate = r.ReadByteString(),
        SecurityMode = (MessageSecurityMode)r.ReadInt32(),
        SecurityPolicyUri = r.ReadString(),
        UserIdentityTokens = r.ReadEncodeableArray<UserTokenPolicy>(),
        TransportProfileUri = r.ReadString(),
        SecurityLevel = r.ReadByte(),
    };
}

/// <summary>GetEndpoints (Part 4 §5.4.4).</summary>
public sealed class GetEndpointsRequest : IServiceRequest, IEncodeable<GetEndpointsRequest>
{
    public static uint EncodingId => 428;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public string? EndpointUrl { get; set; }

    public string?[] LocaleIds { get; set; } = [];

    public string?[] ProfileUris { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteString(EndpointUrl);
        w.WriteStringArray(LocaleIds);
        w.WriteStringArray(ProfileUris);
    }

    public static GetEndpointsRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        EndpointUrl = r.ReadString(),
        LocaleIds = r.ReadStringArray(),
        ProfileUris = r.ReadStringArray(),
    };
}

/// <summary>Part 4 §5.4.4.</summary>
public sealed class GetEndpointsResponse : IServiceResponse, IEncodeable<GetEndpointsResponse>
{
    public static uint EncodingId => 431;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public EndpointDescription[] Endpoints { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Endpoints);
    }

    public static GetEndpointsResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Endpoints = r.ReadEncodeableArray<EndpointDescription>(),
    };
}

/// <summary>FindServers (Part 4 §5.4.2).</summary>
public sealed class FindServersRequest : IServiceRequest, IEncodeable<FindServersRequest>
{
    public static uint EncodingId => 422;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public string? EndpointUrl { get; set; }

    public string?[] LocaleIds { get; set; } = [];

    public string?[] ServerUris { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteString(EndpointUrl);
        w.WriteStringArray(LocaleIds);
        w.WriteStringArray(ServerUris);
    }

    public static FindServersRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        EndpointUrl = r.ReadString(),
        LocaleIds = r.ReadStringArray(),
        ServerUris = r.ReadStringArray(),
    };
}

/// <summary>Part 4 §5.4.2.</summary>
public sealed class FindServersResponse : IServiceResponse, IEncodeable<FindServersResponse>
{
    public static uint EncodingId => 425;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public ApplicationDescription[] Servers { get; set; } = [];

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteEncodeableArray(Servers);
    }

    public static FindServersResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        Servers = r.ReadEncodeableArray<ApplicationDescription>(),
    };
}
