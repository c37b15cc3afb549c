namespace EdgeApp.OpcUa.SecureChannel;

/// <summary>SecurityPolicy None: no signature, no encryption, empty nonces (Part 7, SecurityPolicy None).</summary>
public sealed class NoneSecurityPolicy : ISecurityPolicy, IChunkProtection
{
    public static NoneSecurityPolicy Instance { get; } = new();

    public string Uri => SecurityPolicyUris.None;

    public int NonceLength => 0;

    public int MaxTrailerSize => 0;

    public IChunkProtection CreateAsymmetric(AsymmetricSecurityContext context) => this;

    public IChunkProtection CreateSymmetric(MessageSecurityModeKind mode, ReadOnlySpan<byte> localNonce, ReadOnlySpan<byte> remoteNonce, bool isClient) => this;

    public int MaxBodySize(int chunkSize, int headerSize) => chunkSize - headerSize - SequenceHeader.Size;

    public int Protect(Span<byte> chunk, int headerSize, int bodyEnd) => bodyEnd;

    public int Unprotect(Span<byte> chunk, int headerSize) => chunk.Length;
}
