using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>The token that identifies a channel's current keys (Part 4 §5.5.2.2).</summary>
public sealed class ChannelSecurityToken : IEncodeable<ChannelSecurityToken>
{
    public static uint EncodingId => 443;

    public NodeId BinaryEncodingId => EncodingId;

    public uint ChannelId { get; set; }

    public uint TokenId { get; set; }

    public DateTime CreatedAt { get; set; }

    /// <summary>Milliseconds the token is valid.</summary>
    public uint RevisedLifetime { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(ChannelId);
        w.WriteUInt32(TokenId);
        w.WriteDateTime(CreatedAt);
        w.WriteUInt32(RevisedLifetime);
    }

    public static ChannelSecurityToken Decode(ref UaReader r) => new()
    {
        ChannelId = r.ReadUInt32(),
        TokenId = r.ReadUInt32(),
        CreatedAt = r.ReadDateTime(),
        RevisedLifetime = r.ReadUInt32(),
    };
}

/// <summary>OpenSecureChannel request: issue or renew a security token (Part 4 §5.5.2).</summary>
public sealed class OpenSecureChannelRequest : IServiceRequest, IEncodeable<OpenSecureChannelRequest>
{
    public static uint EncodingId => 446;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public uint ClientProtocolVersion { get; set; }

    public SecurityTokenRequestType RequestType { get; set; }

    public MessageSecurityMode SecurityMode { get; set; } = MessageSecurityMode.None;

    public byte[]? ClientNonce { get; set; }

    public uint RequestedLifetime { get; set; }

    public void Encode(ref UaWriter w)
    {
        RequestHeader.Encode(ref w);
        w.WriteUInt32(ClientProtocolVersion);
        w.WriteInt32((int)RequestType);
        w.WriteInt32((int)SecurityMode);
        w.WriteByteString(ClientNonce);
        w.WriteUInt32(RequestedLifetime);
    }

    public static OpenSecureChannelRequest Decode(ref UaReader r) => new()
    {
        RequestHeader = RequestHeader.Decode(ref r),
        ClientProtocolVersion = r.ReadUInt32(),
        RequestType = (SecurityTokenRequestType)r.ReadInt32(),
        SecurityMode = (MessageSecurityMode)r.ReadInt32(),
        ClientNonce = r.ReadByteString(),
        RequestedLifetime = r.ReadUInt32(),
    };
}

/// <summary>Part 4 §5.5.2.</summary>
public sealed class OpenSecureChannelResponse : IServiceResponse, IEncodeable<OpenSecureChannelResponse>
{
    public static uint EncodingId => 449;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public uint ServerProtocolVersion { get; set; }

    public ChannelSecurityToken SecurityToken { get; set; } = new();

    public byte[]? ServerNonce { get; set; }

    public void Encode(ref UaWriter w)
    {
        ResponseHeader.Encode(ref w);
        w.WriteUInt32(ServerProtocolVersion);
        SecurityToken.Encode(ref w);
        w.WriteByteString(ServerNonce);
    }

    public static OpenSecureChannelResponse Decode(ref UaReader r) => new()
    {
        ResponseHeader = ResponseHeader.Decode(ref r),
        ServerProtocolVersion = r.ReadUInt32(),
        SecurityToken = ChannelSecurityToken.Decode(ref r),
        ServerNonce = r.ReadByteString(),
    };
}

/// <summary>Part 4 §5.5.3; sent in a CLO message, never answered on the wire.</summary>
public sealed class CloseSecureChannelRequest : IServiceRequest, IEncodeable<CloseSecureChannelRequest>
{
    public static uint EncodingId => 452;

    public NodeId BinaryEncodingId => EncodingId;

    public RequestHeader RequestHeader { get; set; } = new();

    public void Encode(ref UaWriter w) => RequestHeader.Encode(ref w);

    public static CloseSecureChannelRequest Decode(ref UaReader r) => new() { RequestHeader = RequestHeader.Decode(ref r) };
}

/// <summary>Part 4 §5.5.3.</summary>
public sealed class CloseSecureChannelResponse : IServiceResponse, IEncodeable<CloseSecureChannelResponse>
{
    public static uint EncodingId => 455;

    public NodeId BinaryEncodingId => EncodingId;

    public ResponseHeader ResponseHeader { get; set; } = new();

    public void Encode(ref UaWriter w) => ResponseHeader.Encode(ref w);

    public static CloseSecureChannelResponse Decode(ref UaReader r) => new() { ResponseHeader = ResponseHeader.Decode(ref r) };
}
