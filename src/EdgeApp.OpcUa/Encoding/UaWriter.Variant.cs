namespace EdgeApp.OpcUa.Encoding;

/// <summary>Variant encoding (Part 6 §5.2.2.16): mask byte (type id, 0x80 array, 0x40 dimensions), value(s), dimensions.</summary>
public ref partial struct UaWriter
{
    public void WriteVariant(in Variant value)
    {
        if (value.IsNull)
        {
            WriteByte(0);
            return;
        }

        if (!value.IsArray)
        {
            WriteByte((byte)value.Type);
            WriteScalar(value);
            return;
        }

        var dims = value.ArrayDimensions;
        WriteByte((byte)((byte)value.Type | 0x80 | (dims is not null ? 0x40 : 0)));
        WriteArrayBody(value.Type, value.Array!);
        if (dims is not null)
        {
            WriteInt32(dims.Length);
            foreach (var d in dims)
            {
                WriteInt32(d);
            }
        }
    }

    private void WriteScalar(in Variant v)
    {
        var bits = v.Bits;
        switch (v.Type)
        {
            case BuiltInType.Boolean: WriteBoolean(bits != 0); break;
            case BuiltInType.SByte: WriteSByte((sbyte)bits); break;
            case BuiltInType.Byte: WriteByte((byte)bits); break;
            case BuiltInType.Int16: WriteInt16((short)bits); break;
            case BuiltInType.UInt16: WriteUInt16((ushort)bits); break;
            case BuiltInType.Int32: WriteInt32((int)bits); break;
            case BuiltInType.UInt32: WriteUInt32((uint)bits); break;
            case BuiltInType.Int64: WriteInt64(bits); break;
            case BuiltInType.UInt64: WriteUInt64((ulong)bits); break;
            case BuiltInType.Float: WriteInt32((int)bits); break;
            case BuiltInType.Double: WriteInt64(bits); break;
            case BuiltInType.DateTime: WriteDateTime(new DateTime(bits, DateTimeKind.Utc)); break;
            case BuiltInType.StatusCode: WriteUInt32((uint)bits); break;
            default: WriteReferenceElement(v.Type, v.Reference); break;
        }
    }

    private void WriteReferenceElement(BuiltInType type, object? value)
    {
        switch (type)
        {
            case BuiltInType.String: WriteString((string?)value); break;
            case BuiltInType.Guid: WriteGuid((Guid)value!); break;
            case BuiltInType.ByteString: WriteByteString((byte[]?)value); break;
            case BuiltInType.XmlElement: WriteXmlElement(value is UaXmlElement x ? x : default); break;
            case BuiltInType.NodeId: WriteNodeId(value is NodeId n ? n : default); break;
            case BuiltInType.ExpandedNodeId: WriteExpandedNodeId(value is ExpandedNodeId e ? e : default); break;
            case BuiltInType.QualifiedName: WriteQualifiedName(value is QualifiedName q ? q : default); break;
            case BuiltInType.LocalizedText: WriteLocalizedText(value is LocalizedText l ? l : default); break;
            case BuiltInType.ExtensionObject: WriteExtensionObject((ExtensionObject?)value); break;
            case BuiltInType.DataValue: WriteDataValue(value is DataValue d ? d : default); break;
            case BuiltInType.DiagnosticInfo: WriteDiagnosticInfo((DiagnosticInfo?)value); break;
            default: throw new OpcUaException(StatusCodes.BadEncodingError, $"A {type} scalar cannot be encoded in a Variant.");
        }
    }

    private void WriteArrayBody(BuiltInType type, Array array)
    {
        WriteInt32(array.Length);
        switch (array)
        {
            case bool[] a: foreach (var x in a) WriteBoolean(x); break;
            case sbyte[] a: foreach (var x in a) WriteSByte(x); break;
            case byte[] a: WriteRaw(a); break;
            case short[] a: foreach (var x in a) WriteInt16(x); break;
            case ushort[] a: foreach (var x in a) WriteUInt16(x); break;
            case int[] a: foreach (var x in a) WriteInt32(x); break;
            case uint[] a: foreach (var x in a) WriteUInt32(x); break;
            case long[] a: foreach (var x in a) WriteInt64(x); break;
            case ulong[] a: foreach (var x in a) WriteUInt64(x); break;
            case float[] a: foreach (var x in a) WriteFloat(x); break;
            case double[] a: foreach (var x in a) WriteDouble(x); break;
            case DateTime[] a: foreach (var x in a) WriteDateTime(x); break;
            case StatusCode[] a: foreach (var x in a) WriteStatusCode(x); break;
            case Variant[] a: foreach (var x in a) WriteVariant(x); break;
            case DataValue[] a: foreach (var x in a) WriteDataValue(x); break;
            default:
                foreach (var x in array)
                {
                    WriteReferenceElement(type, x);
                }

                break;
        }
    }
}
