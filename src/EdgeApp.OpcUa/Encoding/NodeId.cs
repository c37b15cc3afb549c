namespace EdgeApp.OpcUa.Encoding;

public enum IdType : byte
{
    Numeric = 0,
    String = 1,
    Guid = 2,
    Opaque = 3,
}

/// <summary>
/// A node identifier (Part 3 §8.2, Part 6 §5.2.2.9): namespace index plus a numeric, string, GUID or opaque id.
/// A struct so numeric ids (most lookups) cost no allocation; <c>default</c> is the null NodeId <c>i=0</c>.
/// </summary>
public readonly partial struct NodeId : IEquatable<NodeId>
{
    private readonly uint _numeric;
    private readonly object? _identifier;

    public NodeId(uint id, ushort namespaceIndex = 0)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Numeric;
        _numeric = id;
    }

    public NodeId(string id, ushort namespaceIndex)
    {
        ArgumentNullException.ThrowIfNull(id);
        NamespaceIndex = namespaceIndex;
        IdType = IdType.String;
        _identifier = id;
    }

    public NodeId(Guid id, ushort namespaceIndex)
    {
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Guid;
        _identifier = id;
    }

    public NodeId(byte[] id, ushort namespaceIndex)
    {
        ArgumentNullException.ThrowIfNull(id);
        NamespaceIndex = namespaceIndex;
        IdType = IdType.Opaque;
        _identifier = id;
    }

    public static NodeId Null => default;

    public ushort NamespaceIndex { get; }

    public IdType IdType { get; }

    public uint NumericId => IdType == IdType.Numeric ? _numeric : throw new InvalidOperationException("Not a numeric NodeId.");

    public string StringId => _identifier as string ?? throw new InvalidOperationException("Not a string NodeId.");

    public Guid GuidId => _identifier is Guid g ? g : throw new InvalidOperationException("Not a GUID NodeId.");

    public byte[] OpaqueId => _identifier as byte[] ?? throw new InvalidOperationException("Not an opaque NodeId.");

    /// <summary>The identifier as an object (uint, string, Guid or byte[]).</summary>
    public object Identifier => IdType == IdType.Numeric ? _numeric : _identifier!;

    /// <summary>True for the null NodeId of any type (Part 6 §5.2.2.9: numeric 0, empty string, empty GUID, empty opaque).</summary>
    public bool IsNull => NamespaceIndex == 0 && IdType switch
    {
        IdType.Numeric => _numeric == 0,
        IdType.String => ((string)_identifier!).Length == 0,
        IdType.Guid => (Guid)_identifier! == Guid.Empty,
        _ => ((byte[])_identifier!).Length == 0,
    };

    public static implicit operator NodeId(uint id) => new(id);

    public static bool operator ==(NodeId left, NodeId right) => left.Equals(right);

    public static bool operator !=(NodeId left, NodeId right) => !left.Equals(right);

    public bool Equals(NodeId other)
    {
        if (NamespaceIndex != other.NamespaceIndex || IdType != other.IdType)
        {
            return false;
        }

        return IdType switch
        {
            IdType.Numeric => _numeric == other._numeric,
            IdType.String => string.Equals((string)_identifier!, (string)other._identifier!, StringComparison.Ordinal),
            IdType.Guid => (Guid)_identifier! == (Guid)other._identifier!,
            _ => ((byte[])_identifier!).AsSpan().SequenceEqual((byte[])other._identifier!),
        };
    }

    public override bool Equals(object? obj) => obj is NodeId other && Equals(other);

    public override int GetHashCode() => IdType switch
    {
        IdType.Numeric => HashCode.Combine(NamespaceIndex, _numeric),
        IdType.String => HashCode.Combine(NamespaceIndex, string.GetHashCode((string)_identifier!, StringComparison.Ordinal)),
        IdType.Guid => HashCode.Combine(NamespaceIndex, (Guid)_identifier!),
        _ => HashBytes(NamespaceIndex, (byte[])_identifier!),
    };

    private static int HashBytes(ushort ns, byte[] bytes)
    {
        var hash = new HashCode();
        hash.Add(ns);
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
