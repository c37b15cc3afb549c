namespace EdgeApp.OpcUa.Encoding;

/// <summary>Variant decoding (Part 6 §5.2.2.16), with array and matrix limits checked before allocation.</summary>
public ref partial struct UaReader
{
    public Variant ReadVariant()
    {
        var mask = ReadByte();
        var typeId = mask & 0x3F;
        if (typeId > (int)BuiltInType.DiagnosticInfo)
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, $"Variant type id {typeId} is not a built-in type.");
        }

        var type = (BuiltInType)typeId;
        if ((mask & 0x80) == 0)
        {
            if ((mask & 0x40) != 0)
            {
                throw new OpcUaException(StatusCodes.BadDecodingError, "Variant has dimensions but is not an array.");
            }

            return type == BuiltInType.Null ? Variant.Null : ReadScalar(type);
        }

        Enter();
        var array = ReadArrayBody(type);
        int[]? dims = null;
        if ((mask & 0x40) != 0)
        {
            dims = ReadDimensions(array.Length);
        }

        Leave();
        return Variant.FromArray(type, array, dims);
    }

    private int[] ReadDimensions(int arrayLength)
    {
        var count = ReadArrayLength(4);
        if (count < 1)
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, "Matrix without dimensions.");
        }

        var dims = new int[count];
        long product = 1;
        for (var i = 0; i < count; i++)
        {
            dims[i] = ReadInt32();
            if (dims[i] < 0)
            {
                throw new OpcUaException(StatusCodes.BadDecodingError, "Negative matrix dimension.");
            }

            product = Math.Min(product * dims[i], int.MaxValue + 1L);
        }

        if (product != arrayLength)
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, $"Matrix dimensions give {product} elements, the array has {arrayLength}.");
        }

        return dims;
    }

    private Variant ReadScalar(BuiltInType type)
    {
        switch (type)
        {
            case BuiltInType.Boolean: return new Variant(ReadBoolean());
            case BuiltInType.SByte: return new Variant(ReadSByte());
            case BuiltInType.Byte: return new Variant(ReadByte());
            case BuiltInType.Int16: return new Variant(ReadInt16());
            case BuiltInType.UInt16: return new Variant(ReadUInt16());
            case BuiltInType.Int32: return new Variant(ReadInt32());
            case BuiltInType.UInt32: return new Variant(ReadUInt32());
            case BuiltInType.Int64: return new Variant(ReadInt64());
            case BuiltInType.UInt64: return new Variant(ReadUInt64());
            case BuiltInType.Float: return new Variant(ReadFloat());
            case BuiltInType.Double: return new Variant(ReadDouble());
            case BuiltInType.String: return new Variant(ReadString());
            case BuiltInType.DateTime: return new Variant(ReadDateTime());
            case BuiltInType.Guid: return new Variant(ReadGuid());
            case BuiltInType.ByteString: return new Variant(ReadByteString());
            case BuiltInType.XmlElement: return new Variant(ReadXmlElement());
            case BuiltInType.NodeId: return new Variant(ReadNodeId());
            case BuiltInType.ExpandedNodeId: return new Variant(ReadExpandedNodeId());
            case BuiltInType.StatusCode: return new Variant(ReadStatusCode());
            case BuiltInType.QualifiedName: return new Variant(ReadQualifiedName());
            case BuiltInType.LocalizedText: return new Variant(ReadLocalizedText());
            case BuiltInType.ExtensionObject:
                Enter();
                var extension = ReadExtensionObject();
                Leave();
                return new Variant(extension);
            case BuiltInType.DataValue:
                Enter();
                var dataValue = ReadDataValue();
                Leave();
                return new Variant(dataValue);
            case BuiltInType.DiagnosticInfo: return new Variant(ReadDiagnosticInfo());
            default:
                // A Variant scalar inside a Variant is not allowed (Part 6 §5.2.2.16); only arrays of Variant are.
                throw new OpcUaException(StatusCodes.BadDecodingError, $"A {type} scalar is not allowed in a Variant.");
        }
    }

    private Array ReadArrayBody(BuiltInType type)
    {
        var count = ReadArrayLength(MinimumSize(type));
        count = Math.Max(count, 0);
        switch (type)
        {
            case BuiltInType.Boolean: return Fill(NewArray<bool>(count), ref this, static (ref UaReader r) => r.ReadBoolean());
            case BuiltInType.SByte: return Fill(NewArray<sbyte>(count), ref this, static (ref UaReader r) => r.ReadSByte());
            case BuiltInType.Byte: return Take(count).ToArray();
            case BuiltInType.Int16: return Fill(NewArray<short>(count), ref this, static (ref UaReader r) => r.ReadInt16());
            case BuiltInType.UInt16: return Fill(NewArray<ushort>(count), ref this, static (ref UaReader r) => r.ReadUInt16());
            case BuiltInType.Int32: return Fill(NewArray<int>(count), ref this, static (ref UaReader r) => r.ReadInt32());
            case BuiltInType.UInt32: return Fill(NewArray<uint>(count), ref this, static (ref UaReader r) => r.ReadUInt32());
            case BuiltInType.Int64: return Fill(NewArray<long>(count), ref this, static (ref UaReader r) => r.ReadInt64());
            case BuiltInType.UInt64: return Fill(NewArray<ulong>(count), ref this, static (ref UaReader r) => r.ReadUInt64());
            case BuiltInType.Float: return Fill(NewArray<float>(count), ref this, static (ref UaReader r) => r.ReadFloat());
            case BuiltInType.Double: return Fill(NewArray<double>(count), ref this, static (ref UaReader r) => r.ReadDouble());
            case BuiltInType.String: return Fill(NewArray<string?>(count), ref this, static (ref UaReader r) => r.ReadString());
            case BuiltInType.DateTime: return Fill(NewArray<DateTime>(count), ref this, static (ref UaReader r) => r.ReadDateTime());
            case BuiltInType.Guid: return Fill(NewArray<Guid>(count), ref this, static (ref UaReader r) => r.ReadGuid());
            case BuiltInType.ByteString: return Fill(NewArray<byte[]?>(count), ref this, static (ref UaReader r) => r.ReadByteString());
            case BuiltInType.XmlElement: return Fill(NewArray<UaXmlElement>(count), ref this, static (ref UaReader r) => r.ReadXmlElement());
            case BuiltInType.NodeId: return Fill(NewArray<NodeId>(count), ref this, static (ref UaReader r) => r.ReadNodeId());
            case BuiltInType.ExpandedNodeId: return Fill(NewArray<ExpandedNodeId>(count), ref this, static (ref UaReader r) => r.ReadExpandedNodeId());
            case BuiltInType.StatusCode: return Fill(NewArray<StatusCode>(count), ref this, static (ref UaReader r) => r.ReadStatusCode());
            case BuiltInType.QualifiedName: return Fill(NewArray<QualifiedName>(count), ref this, static (ref UaReader r) => r.ReadQualifiedName());
            case BuiltInType.LocalizedText: return Fill(NewArray<LocalizedText>(count), ref this, static (ref UaReader r) => r.ReadLocalizedText());
            case BuiltInType.ExtensionObject: return Fill(NewArray<ExtensionObject>(count), ref this, static (ref UaReader r) => r.ReadExtensionObject());
            case BuiltInType.DataValue: return Fill(NewArray<DataValue>(count), ref this, static (ref UaReader r) => r.ReadDataValue());
            case BuiltInType.Variant: return Fill(NewArray<Variant>(count), ref this, static (ref UaReader r) => r.ReadVariant());
            case BuiltInType.DiagnosticInfo: return Fill(NewArray<DiagnosticInfo?>(count), ref this, static (ref UaReader r) => r.ReadDiagnosticInfo());
            default: throw new OpcUaException(StatusCodes.BadDecodingError, "A Variant array needs an element type.");
        }
    }

    /// <summary>The fewest bytes one element can take, so a count is checked against the bytes left before allocating.</summary>
    private static int MinimumSize(BuiltInType type) => type switch
    {
        BuiltInType.Int16 or BuiltInType.UInt16 or BuiltInType.NodeId or BuiltInType.ExpandedNodeId => 2,
        BuiltInType.Int32 or BuiltInType.UInt32 or BuiltInType.Float or BuiltInType.String or BuiltInType.StatusCode
            or BuiltInType.ByteString or BuiltInType.XmlElement => 4,
        BuiltInType.ExtensionObject => 3,
        BuiltInType.QualifiedName => 6,
        BuiltInType.Int64 or BuiltInType.UInt64 or BuiltInType.Double or BuiltInType.DateTime => 8,
        BuiltInType.Guid => 16,
        _ => 1,
    };

    private delegate T ElementReader<out T>(ref UaReader reader);

    private static T[] Fill<T>(T[] target, ref UaReader reader, ElementReader<T> read)
    {
        for (var i = 0; i < target.Length; i++)
        {
            target[i] = read(ref reader);
        }

        return target;
    }
}
