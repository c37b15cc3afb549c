using System.Collections.Frozen;
using System.Runtime.CompilerServices;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>Conversions between CLR values and Variants; the generic paths are free of boxing for numeric types.</summary>
public readonly partial struct Variant
{
    private static readonly FrozenDictionary<Type, BuiltInType> ElementTypes = new Dictionary<Type, BuiltInType>
    {
        [typeof(bool)] = BuiltInType.Boolean, [typeof(sbyte)] = BuiltInType.SByte, [typeof(byte)] = BuiltInType.Byte,
        [typeof(short)] = BuiltInType.Int16, [typeof(ushort)] = BuiltInType.UInt16, [typeof(int)] = BuiltInType.Int32,
        [typeof(uint)] = BuiltInType.UInt32, [typeof(long)] = BuiltInType.Int64, [typeof(ulong)] = BuiltInType.UInt64,
        [typeof(float)] = BuiltInType.Float, [typeof(double)] = BuiltInType.Double, [typeof(string)] = BuiltInType.String,
        [typeof(DateTime)] = BuiltInType.DateTime, [typeof(Guid)] = BuiltInType.Guid, [typeof(byte[])] = BuiltInType.ByteString,
        [typeof(UaXmlElement)] = BuiltInType.XmlElement, [typeof(NodeId)] = BuiltInType.NodeId,
        [typeof(ExpandedNodeId)] = BuiltInType.ExpandedNodeId, [typeof(StatusCode)] = BuiltInType.StatusCode,
        [typeof(QualifiedName)] = BuiltInType.QualifiedName, [typeof(LocalizedText)] = BuiltInType.LocalizedText,
        [typeof(ExtensionObject)] = BuiltInType.ExtensionObject, [typeof(DataValue)] = BuiltInType.DataValue,
        [typeof(Variant)] = BuiltInType.Variant, [typeof(DiagnosticInfo)] = BuiltInType.DiagnosticInfo,
    }.ToFrozenDictionary();

    /// <summary>The built-in type a CLR type maps to (element type for arrays), or Null if it maps to none.</summary>
    public static BuiltInType BuiltInTypeOf(Type type)
    {
        if (type.IsArray && type != typeof(byte[]))
        {
            type = type.GetElementType()!;
        }

        if (ElementTypes.TryGetValue(type, out var builtIn))
        {
            return builtIn;
        }

        if (type.IsEnum)
        {
            return BuiltInType.Int32;
        }

        return typeof(IEncodeable).IsAssignableFrom(type) ? BuiltInType.ExtensionObject : BuiltInType.Null;
    }

    /// <summary>Makes a Variant from a typed value without boxing numeric scalars.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Variant From<T>(T value)
    {
        if (typeof(T) == typeof(bool)) return new Variant(Unsafe.As<T, bool>(ref value));
        if (typeof(T) == typeof(sbyte)) return new Variant(Unsafe.As<T, sbyte>(ref value));
        if (typeof(T) == typeof(byte)) return new Variant(Unsafe.As<T, byte>(ref value));
        if (typeof(T) == typeof(short)) return new Variant(Unsafe.As<T, short>(ref value));
        if (typeof(T) == typeof(ushort)) return new Variant(Unsafe.As<T, ushort>(ref value));
        if (typeof(T) == typeof(int)) return new Variant(Unsafe.As<T, int>(ref value));
        if (typeof(T) == typeof(uint)) return new Variant(Unsafe.As<T, uint>(ref value));
        if (typeof(T) == typeof(long)) return new Variant(Unsafe.As<T, long>(ref value));
        if (typeof(T) == typeof(ulong)) return new Variant(Unsafe.As<T, ulong>(ref value));
        if (typeof(T) == typeof(float)) return new Variant(Unsafe.As<T, float>(ref value));
        if (typeof(T) == typeof(double)) return new Variant(Unsafe.As<T, double>(ref value));
        if (typeof(T) == typeof(DateTime)) return new Variant(Unsafe.As<T, DateTime>(ref value));
        if (typeof(T) == typeof(StatusCode)) return new Variant(Unsafe.As<T, StatusCode>(ref value));
        if (typeof(T) == typeof(string)) return new Variant(Unsafe.As<T, string>(ref value));
        if (typeof(T) == typeof(Variant)) return Unsafe.As<T, Variant>(ref value);
        return FromObject(value);
    }

    /// <summary>Reads the value as <typeparamref name="T"/> without boxing numeric scalars; throws on a type mismatch.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public T Get<T>()
    {
        if (!IsArray)
        {
            if (typeof(T) == typeof(bool) && Type == BuiltInType.Boolean) { var v = _bits != 0; return Unsafe.As<bool, T>(ref v); }
            if (typeof(T) == typeof(int) && Type == BuiltInType.Int32) { var v = (int)_bits; return Unsafe.As<int, T>(ref v); }
            if (typeof(T) == typeof(uint) && Type == BuiltInType.UInt32) { var v = (uint)_bits; return Unsafe.As<uint, T>(ref v); }
            if (typeof(T) == typeof(long) && Type == BuiltInType.Int64) { var v = _bits; return Unsafe.As<long, T>(ref v); }
            if (typeof(T) == typeof(ulong) && Type == BuiltInType.UInt64) { var v = (ulong)_bits; return Unsafe.As<ulong, T>(ref v); }
            if (typeof(T) == typeof(double) && Type == BuiltInType.Double) { var v = BitConverter.Int64BitsToDouble(_bits); return Unsafe.As<double, T>(ref v); }
            if (typeof(T) == typeof(float) && Type == BuiltInType.Float) { var v = BitConverter.Int32BitsToSingle((int)_bits); return Unsafe.As<float, T>(ref v); }
        }

        if (typeof(T) == typeof(Variant))
        {
            var self = this;
            return Unsafe.As<Variant, T>(ref self);
        }

        return Value is T typed ? typed : throw new InvalidCastException($"The variant holds {this}, not {typeof(T).Name}.");
    }

    /// <summary>Makes a Variant from any supported CLR value: scalars, arrays, .NET multi-dimensional arrays, encodeables.</summary>
    public static Variant FromObject(object? value) => value switch
    {
        null => Null,
        Variant v => v,
        bool v => new Variant(v),
        sbyte v => new Variant(v),
        byte v => new Variant(v),
        short v => new Variant(v),
        ushort v => new Variant(v),
        int v => new Variant(v),
        uint v => new Variant(v),
        long v => new Variant(v),
        ulong v => new Variant(v),
        float v => new Variant(v),
        double v => new Variant(v),
        string v => new Variant(v),
        DateTime v => new Variant(v),
        Guid v => new Variant(v),
        byte[] v => new Variant(v),
        UaXmlElement v => new Variant(v),
        NodeId v => new Variant(v),
        ExpandedNodeId v => new Variant(v),
        StatusCode v => new Variant(v),
        QualifiedName v => new Variant(v),
        LocalizedText v => new Variant(v),
        ExtensionObject v => new Variant(v),
        IEncodeable v => new Variant(new ExtensionObject(v)),
        DataValue v => new Variant(v),
        DiagnosticInfo v => new Variant(v),
        Enum v => new Variant(Convert.ToInt32(v, System.Globalization.CultureInfo.InvariantCulture)),
        Array a => FromArray(a),
        _ => throw new ArgumentException($"{value.GetType().Name} has no OPC UA built-in type.", nameof(value)),
    };

    /// <summary>An array or matrix whose element type follows from the CLR array type; multi-dimensional arrays become matrices.</summary>
    public static Variant FromArray(Array array)
    {
        ArgumentNullException.ThrowIfNull(array);
        var elementType = array.GetType().GetElementType()!;
        var builtIn = BuiltInTypeOf(elementType == typeof(byte[]) ? typeof(byte[]) : elementType);
        if (builtIn == BuiltInType.Null)
        {
            throw new ArgumentException($"{elementType.Name} has no OPC UA built-in type.", nameof(array));
        }

        if (array.Rank == 1)
        {
            return FromArray(builtIn, array);
        }

        var dims = new int[array.Rank];
        for (var i = 0; i < dims.Length; i++)
        {
            dims[i] = array.GetLength(i);
        }

        // Row-major flattening: the last index varies fastest, as Part 6 requires.
        var flat = System.Array.CreateInstance(elementType, array.Length);
        var k = 0;
        foreach (var item in array)
        {
            flat.SetValue(item, k++);
        }

        return FromArray(builtIn, flat, dims);
    }

    public static implicit operator Variant(bool value) => new(value);

    public static implicit operator Variant(int value) => new(value);

    public static implicit operator Variant(uint value) => new(value);

    public static implicit operator Variant(long value) => new(value);

    public static implicit operator Variant(double value) => new(value);

    public static implicit operator Variant(float value) => new(value);

    public static implicit operator Variant(string? value) => new(value);

    public static implicit operator Variant(DateTime value) => new(value);
}
