namespace EdgeApp.OpcUa.Encoding;

public enum ExtensionObjectEncoding : byte
{
    None = 0,
    Binary = 1,
    Xml = 2,
}

/// <summary>
/// A structure wrapped with its encoding id (Part 6 §5.2.2.15). Known types decode to their <see cref="IEncodeable"/>;
/// unknown binary bodies are kept as bytes and re-encoded unchanged.
/// </summary>
public sealed record ExtensionObject
{
    public ExtensionObject(IEncodeable body)
    {
        ArgumentNullException.ThrowIfNull(body);
        TypeId = body.BinaryEncodingId;
        Encoding = ExtensionObjectEncoding.Binary;
        Body = body;
    }

    public ExtensionObject(NodeId typeId, ExtensionObjectEncoding encoding, object? body)
    {
        TypeId = typeId;
        Encoding = encoding;
        Body = body;
    }

    public static ExtensionObject Null { get; } = new(NodeId.Null, ExtensionObjectEncoding.None, null);

    /// <summary>The encoding NodeId (for example <c>i=298</c> for Argument_Encoding_DefaultBinary).</summary>
    public NodeId TypeId { get; }

    public ExtensionObjectEncoding Encoding { get; }

    /// <summary>An <see cref="IEncodeable"/>, raw <c>byte[]</c> for unknown binary bodies, or a string for XML.</summary>
    public object? Body { get; }

    public bool IsNull => Encoding == ExtensionObjectEncoding.None && TypeId.IsNull;

    public T? As<T>()
        where T : class, IEncodeable => Body as T;

    public bool Equals(ExtensionObject? other) =>
        other is not null && TypeId == other.TypeId && Encoding == other.Encoding &&
        (Body is byte[] a && other.Body is byte[] b ? a.AsSpan().SequenceEqual(b) : Equals(Body, other.Body));

    public override int GetHashCode() => HashCode.Combine(TypeId, Encoding);
}
