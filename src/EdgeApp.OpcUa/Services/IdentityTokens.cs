using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>AnonymousIdentityToken, one of the common parameter types of Part 4 §7.</summary>
public sealed class AnonymousIdentityToken : IEncodeable<AnonymousIdentityToken>
{
    public static uint EncodingId => 321;

    public NodeId BinaryEncodingId => EncodingId;

    public string? PolicyId { get; set; }

    public void Encode(ref UaWriter w) => w.WriteString(PolicyId);

    public static AnonymousIdentityToken Decode(ref UaReader r) => new() { PolicyId = r.ReadString() };
}

/// <summary>
/// UserNameIdentityToken (Part 4 §7, user identity tokens). With SecurityPolicy None and no token encryption the password travels as plain UTF-8
/// (EncryptionAlgorithm null); encrypted secrets come with the asymmetric policies.
/// </summary>
public sealed class UserNameIdentityToken : IEncodeable<UserNameIdentityToken>
{
    public static uint EncodingId => 324;

    public NodeId BinaryEncodingId => EncodingId;

    public string? PolicyId { get; set; }

    public string? UserName { get; set; }

    public byte[]? Password { get; set; }

    public string? EncryptionAlgorithm { get; set; }

    public void Encode(ref UaWriter w)
    {
        w.WriteString(PolicyId);
        w.WriteString(UserName);
        w.WriteByteString(Password);
        w.WriteString(EncryptionAlgorithm);
    }

    public static UserNameIdentityToken Decode(ref UaReader r) => new()
    {
        PolicyId = r.ReadString(),
        UserName = r.ReadString(),
        Password = r.ReadByteString(),
        EncryptionAlgorithm = r.ReadString(),
    };
}
