using System.Collections;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// A value of any built-in type: scalar, one-dimensional array or matrix (Part 6 §5.2.2.16).
/// Numeric scalars, DateTime and StatusCode live in an inline 64-bit field, so writing them costs no allocation;
/// everything else (and every array) is held by reference. Arrays are typed .NET arrays (int[], string[], ...),
/// matrices a flat array plus <see cref="ArrayDimensions"/>.
/// </summary>
public readonly partial struct Variant : IEquatable<Variant>
{
    private readonly long _bits;
    private readonly object? _ref;
    private readonly int[]? _dims;

    private Variant(BuiltInType type, long bits, object? reference, bool isArray = false, int[]? dims = null)
    {
        Type = type;
        _bits = bits;
        _ref = reference;
        IsArray = isArray;
        _dims = dims;
    }

    public static Variant Null => default;

    public BuiltInType Type { get; }

    /// <summary>True for arrays and matrices.</summary>
    public bool IsArray { get; }

    /// <summary>The dimensions of a matrix (row-major, Part 6 §5.2.2.16), null for scalars and plain arrays.</summary>
    public int[]? ArrayDimensions => _dims;

    public bool IsNull => Type == BuiltInType.Null;

    /// <summary>The array (flat for matrices) when <see cref="IsArray"/>.</summary>
    public Array? Array => IsArray ? (Array?)_ref : null;

    /// <summary>The value boxed as object: convenient, but allocates for inline scalars. Hot paths use <see cref="Get{T}"/>.</summary>
    public object? Value => IsArray ? _ref : Type switch
    {
        BuiltInType.Null => null,
        BuiltInType.Boolean => _bits != 0,
        BuiltInType.SByte => (sbyte)_bits,
        BuiltInType.Byte => (byte)_bits,
        BuiltInType.Int16 => (short)_bits,
        BuiltInType.UInt16 => (ushort)_bits,
        BuiltInType.Int32 => (int)_bits,
        BuiltInType.UInt32 => (uint)_bits,
        BuiltInType.Int64 => _bits,
        BuiltInType.UInt64 => (ulong)_bits,
        BuiltInType.Float => BitConverter.Int32BitsToSingle((int)_bits),
        BuiltInType.Double => BitConverter.Int64BitsToDouble(_bits),
        BuiltInType.DateTime => new DateTime(_bits, DateTimeKind.Utc),
        BuiltInType.StatusCode => new StatusCode((uint)_bits),
        _ => _ref,
    };

    internal long Bits => _bits;

    internal object? Reference => _ref;

    public Variant(bool value) : this(BuiltInType.Boolean, value ? 1 : 0, null) { }

    public Variant(sbyte value) : this(BuiltInType.SByte, value, null) { }

    public Variant(byte value) : this(BuiltInType.Byte, value, null) { }

    public Variant(short value) : this(BuiltInType.Int16, value, null) { }

    public Variant(ushort value) : this(BuiltInType.UInt16, value, null) { }

    public Variant(int value) : this(BuiltInType.Int32, value, null) { }

    public Variant(uint value) : this(BuiltInType.UInt32, value, null) { }

    public Variant(long value) : this(BuiltInType.Int64, value, null) { }

    public Variant(ulong value) : this(BuiltInType.UInt64, (long)value, null) { }

    public Variant(float value) : this(BuiltInType.Float, BitConverter.SingleToInt32Bits(value), null) { }

    public Variant(double value) : this(BuiltInType.Double, BitConverter.DoubleToInt64Bits(value), null) { }

    public Variant(string? value) : this(BuiltInType.String, 0, value) { }

    /// <summary>DateTime is stored as UTC ticks; local times are converted.</summary>
    public Variant(DateTime value) : this(BuiltInType.DateTime, ToUtc(value).Ticks, null) { }

    public Variant(Guid value) : this(BuiltInType.Guid, 0, value) { }

    /// <summary>A ByteString scalar. For an array of Byte use <see cref="FromArray(System.Array)"/>.</summary>
    public Variant(byte[]? value) : this(BuiltInType.ByteString, 0, value) { }

    public Variant(UaXmlElement value) : this(BuiltInType.XmlElement, 0, value) { }

    public Variant(NodeId value) : this(BuiltInType.NodeId, 0, value) { }

    public Variant(ExpandedNodeId value) : this(BuiltInType.ExpandedNodeId, 0, value) { }

    public Variant(StatusCode value) : this(BuiltInType.StatusCode, value.Code, null) { }

    public Variant(QualifiedName value) : this(BuiltInType.QualifiedName, 0, value) { }

    public Variant(LocalizedText value) : this(BuiltInType.LocalizedText, 0, value) { }

    public Variant(ExtensionObject? value) : this(BuiltInType.ExtensionObject, 0, value) { }

    public Variant(DataValue value) : this(BuiltInType.DataValue, 0, value) { }

    public Variant(DiagnosticInfo? value) : this(BuiltInType.DiagnosticInfo, 0, value) { }

    /// <summary>An array or matrix with an explicit element type (the only way to make an array of Byte).</summary>
    public static Variant FromArray(BuiltInType elementType, Array array, int[]? dimensions = null)
    {
        ArgumentNullException.ThrowIfNull(array);
        if (array.Rank != 1)
        {
            throw new ArgumentException("Pass matrices flat with their dimensions, or use FromArray(Array).", nameof(array));
        }

        if (dimensions is not null && dimensions.Aggregate(1L, (p, d) => p * d) != array.Length)
        {
            throw new ArgumentException("The dimensions do not match the array length.", nameof(dimensions));
        }

        return new Variant(elementType, 0, array, true, dimensions);
    }

    private static DateTime ToUtc(DateTime value) => value.Kind == DateTimeKind.Local ? value.ToUniversalTime() : value;

    public static bool operator ==(Variant left, Variant right) => left.Equals(right);

    public static bool operator !=(Variant left, Variant right) => !left.Equals(right);

    public bool Equals(Variant other)
    {
        if (Type != other.Type || IsArray != other.IsArray || _bits != other._bits || !DimsEqual(_dims, other._dims))
        {
            return false;
        }

        return (_ref, other._ref) switch
        {
            (null, null) => true,
            (byte[] a, byte[] b) => a.AsSpan().SequenceEqual(b),
            (Array a, Array b) => StructuralComparisons.StructuralEqualityComparer.Equals(a, b),
            var (a, b) => Equals(a, b),
        };
    }

    private static bool DimsEqual(int[]? a, int[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    public override bool Equals(object? obj) => obj is Variant other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(Type, IsArray, _bits, _ref is Array ? 0 : _ref?.GetHashCode() ?? 0);

    public override string ToString() => IsArray
        ? $"{Type}[{((Array)_ref!).Length}]"
        : Value is { } v ? $"{v} ({Type})" : $"null ({Type})";
}
