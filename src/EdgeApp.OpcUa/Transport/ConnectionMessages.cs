using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Transport;

/// <summary>Hello: the client's buffer sizes and the endpoint it wants (Part 6 §7.1.2.3).</summary>
public sealed record HelloMessage(
    uint ProtocolVersion,
    uint ReceiveBufferSize,
    uint SendBufferSize,
    uint MaxMessageSize,
    uint MaxChunkCount,
    string? EndpointUrl)
{
    /// <summary>Part 6 caps the EndpointUrl at 4096 bytes.</summary>
    public const int MaxUrlLength = 4096;

    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(ProtocolVersion);
        w.WriteUInt32(ReceiveBufferSize);
        w.WriteUInt32(SendBufferSize);
        w.WriteUInt32(MaxMessageSize);
        w.WriteUInt32(MaxChunkCount);
        w.WriteString(EndpointUrl);
    }

    public static HelloMessage Decode(ref UaReader r)
    {
        var hello = new HelloMessage(r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadString());
        if (hello.EndpointUrl is { } url && System.Text.Encoding.UTF8.GetByteCount(url) > MaxUrlLength)
        {
            throw new OpcUaException(StatusCodes.BadTcpEndpointUrlInvalid, "EndpointUrl longer than 4096 bytes.");
        }

        return hello;
    }
}

/// <summary>Acknowledge: the server's revised sizes (Part 6 §7.1.2.4).</summary>
public sealed record AcknowledgeMessage(
    uint ProtocolVersion,
    uint ReceiveBufferSize,
    uint SendBufferSize,
    uint MaxMessageSize,
    uint MaxChunkCount)
{
    public void Encode(ref UaWriter w)
    {
        w.WriteUInt32(ProtocolVersion);
        w.WriteUInt32(ReceiveBufferSize);
        w.WriteUInt32(SendBufferSize);
        w.WriteUInt32(MaxMessageSize);
        w.WriteUInt32(MaxChunkCount);
    }

    public static AcknowledgeMessage Decode(ref UaReader r) =>
        new(r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32());
}

/// <summary>Error: why the sender is closing the connection (Part 6 §7.1.2.5).</summary>
public sealed record ErrorMessage(StatusCode Error, string? Reason)
{
    public void Encode(ref UaWriter w)
    {
        w.WriteStatusCode(Error);
        w.WriteString(Reason is { Length: > 1024 } ? Reason[..1024] : Reason);
    }

    public static ErrorMessage Decode(ref UaReader r) => new(r.ReadStatusCode(), r.ReadString());
}

/// <summary>ReverseHello: a server dialing out to a client (Part 6 §7.1.2.6).</summary>
public sealed record ReverseHelloMessage(string? ServerUri, string? EndpointUrl)
{
    public void Encode(ref UaWriter w)
    {
        w.WriteString(ServerUri);
        w.WriteString(EndpointUrl);
    }

    public static ReverseHelloMessage Decode(ref UaReader r) => new(r.ReadString(), r.ReadString());
}
