using System.Collections.Concurrent;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.SecureChannel;

/// <summary>The security policy URIs of Part 7 this stack names (None is implemented; the others plug in here).</summary>
public static class SecurityPolicyUris
{
    public const string None = "http://opcfoundation.org/UA/SecurityPolicy#None";
    public const string Basic256Sha256 = "http://opcfoundation.org/UA/SecurityPolicy#Basic256Sha256";
    public const string Aes128Sha256RsaOaep = "http://opcfoundation.org/UA/SecurityPolicy#Aes128_Sha256_RsaOaep";
    public const string Aes256Sha256RsaPss = "http://opcfoundation.org/UA/SecurityPolicy#Aes256_Sha256_RsaPss";
}

/// <summary>
/// A security policy (Part 7, Part 6 §6.1): how OPN chunks are protected with the peers' certificates and how MSG/CLO
/// chunks are protected with keys derived from the nonces. The chunk writer and reader only talk to
/// <see cref="IChunkProtection"/>, so Basic256Sha256, Aes128_Sha256_RsaOaep and Aes256_Sha256_RsaPss (Sign and
/// SignAndEncrypt) are new implementations of this interface, not changes to the channel.
/// </summary>
public interface ISecurityPolicy
{
    string Uri { get; }

    /// <summary>Length of the nonces exchanged in OpenSecureChannel (0 for None).</summary>
    int NonceLength { get; }

    /// <summary>Protection of OPN chunks: sign with our private key, encrypt with the peer's public key.</summary>
    IChunkProtection CreateAsymmetric(AsymmetricSecurityContext context);

    /// <summary>Protection of MSG/CLO chunks for one token, keys derived from both nonces (Part 6 §6.7.5).</summary>
    IChunkProtection CreateSymmetric(MessageSecurityModeKind mode, ReadOnlySpan<byte> localNonce, ReadOnlySpan<byte> remoteNonce, bool isClient);
}

/// <summary>The mode on the wire, mirrored here so the channel layer does not depend on service types.</summary>
public enum MessageSecurityModeKind
{
    None = 1,
    Sign = 2,
    SignAndEncrypt = 3,
}

/// <summary>Certificates for the asymmetric (OPN) protection; all null under SecurityPolicy None.</summary>
public sealed record AsymmetricSecurityContext(
    MessageSecurityModeKind Mode,
    System.Security.Cryptography.X509Certificates.X509Certificate2? LocalCertificate,
    System.Security.Cryptography.X509Certificates.X509Certificate2? RemoteCertificate);

/// <summary>
/// Signs/encrypts a chunk in place after the body is written, and verifies/decrypts it on receipt. The chunk span
/// starts at the UACP header; <c>headerSize</c> covers the header, channel id and security header (the unencrypted part).
/// </summary>
public interface IChunkProtection
{
    /// <summary>Most body bytes that fit a chunk of <paramref name="chunkSize"/> (Part 6 §6.7.2.5 formula).</summary>
    int MaxBodySize(int chunkSize, int headerSize);

    /// <summary>Most bytes <see cref="Protect"/> appends after the body (padding and signature).</summary>
    int MaxTrailerSize { get; }

    /// <summary>Adds padding and signature after <paramref name="bodyEnd"/> and encrypts; returns the chunk length.</summary>
    int Protect(Span<byte> chunk, int headerSize, int bodyEnd);

    /// <summary>Decrypts and verifies in place; returns the offset where the body ends (padding and signature removed).</summary>
    int Unprotect(Span<byte> chunk, int headerSize);
}

/// <summary>The policies a channel may use, by URI.</summary>
public static class SecurityPolicies
{
    private static readonly ConcurrentDictionary<string, ISecurityPolicy> Known = new(StringComparer.Ordinal)
    {
        [SecurityPolicyUris.None] = NoneSecurityPolicy.Instance,
    };

    public static void Register(ISecurityPolicy policy) => Known[policy.Uri] = policy;

    public static ISecurityPolicy Get(string? uri) =>
        uri is not null && Known.TryGetValue(uri, out var policy)
            ? policy
            : throw new OpcUaException(StatusCodes.BadSecurityPolicyRejected, $"Security policy '{uri}' is not supported.");
}
