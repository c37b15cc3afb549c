namespace EdgeApp.OpcUa.Transport;

/// <summary>
/// The sizes exchanged in Hello/Acknowledge (Part 6 §7.1.2.3): buffer (= chunk) sizes in both directions, largest
/// message and most chunks per message. 0 for MaxMessageSize/MaxChunkCount means "no limit" on the wire.
/// </summary>
public sealed record TransportLimits
{
    /// <summary>Part 6 requires at least 8192 bytes for both buffers.</summary>
    public const int MinBufferSize = 8192;

    public uint ReceiveBufferSize { get; init; } = 65535;

    public uint SendBufferSize { get; init; } = 65535;

    public uint MaxMessageSize { get; init; } = 16 * 1024 * 1024;

    public uint MaxChunkCount { get; init; } = 512;
}

/// <summary>
/// What both sides agreed on: the chunk sizes each direction uses and the peer's message limits we must respect
/// when sending, plus our own limits we enforce when receiving.
/// </summary>
public sealed record NegotiatedLimits(
    uint SendChunkSize,
    uint ReceiveChunkSize,
    uint PeerMaxMessageSize,
    uint PeerMaxChunkCount,
    uint LocalMaxMessageSize,
    uint LocalMaxChunkCount);
