namespace EdgeApp.OpcUa.Encoding;

/// <summary>The composite built-in types of Part 6 §5.2.2.9 - §5.2.2.17.</summary>
public ref partial struct UaWriter
{
    /// <summary>NodeId in the most compact form that holds it (two-byte, four-byte, numeric, string, guid, opaque).</summary>
    public readonly void WriteNodeId(NodeId value) => WriteNodeId(value, 0);

    private readonly void WriteNodeId(NodeId value, byte flags)
    {
        switch (value.IdType)
        {
            case IdType.Numeric when value.NamespaceIndex == 0 && value.NumericId <= byte.MaxValue:
                WriteByte(flags);
                WriteByte((byte)value.NumericId);
                break;
            case IdType.Numeric when value.NamespaceIndex <= byte.MaxValue && value.NumericId <= ushort.MaxValue:
                WriteByte((byte)(0x01 | flags));
                WriteByte((byte)value.NamespaceIndex);
                WriteUInt16((ushort)value.NumericId);
                break;
            case IdType.Numeric:
                WriteByte((byte)(0x02 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteUInt32(value.NumericId);
                break;
            case IdType.String:
                WriteByte((byte)(0x03 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteString(value.StringId);
                break;
            case IdType.Guid:
                WriteByte((byte)(0x04 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteGuid(value.GuidId);
                break;
            default:
                WriteByte((byte)(0x05 | flags));
                WriteUInt16(value.NamespaceIndex);
                WriteByteString(value.OpaqueId);
                break;
        }
    }

    public readonly void WriteExpandedNodeId(ExpandedNodeId value)
    {
        var flags = (byte)((value.NamespaceUri is not null ? 0x80 : 0) | (value.ServerIndex != 0 ? 0x40 : 0));
        WriteNodeId(value.NodeId, flags);
        if (value.NamespaceUri is not null)
        {
            WriteString(value.NamespaceUri);
        }

        if (value.ServerIndex != 0)
        {
            WriteUInt32(value.ServerIndex);
        }
    }

    public readonly void WriteQualifiedName(QualifiedName value)
    {
        WriteUInt16(value.NamespaceIndex);
        WriteString(value.Name);
    }

    public readonly void WriteLocalizedText(LocalizedText value)
    {
        var mask = (byte)((value.Locale is not null ? 0x01 : 0) | (value.Text is not null ? 0x02 : 0));
        WriteByte(mask);
        if (value.Locale is not null)
        {
            WriteString(value.Locale);
        }

        if (value.Text is not null)
        {
            WriteString(value.Text);
        }
    }

    public void WriteExtensionObject(ExtensionObject? value)
    {
        if (value is null || value.IsNull)
        {
            WriteNodeId(NodeId.Null);
            WriteByte(0);
            return;
        }

        WriteNodeId(value.TypeId);
        switch (value.Body)
        {
            case IEncodeable encodeable:
                WriteByte((byte)ExtensionObjectEncoding.Binary);
                var lengthAt = ReserveInt32();
                encodeable.Encode(ref this);
                PatchInt32(lengthAt, Position - lengthAt - 4);
                break;
            case byte[] bytes:
                WriteByte((byte)ExtensionObjectEncoding.Binary);
                WriteByteString(bytes);
                break;
            case string xml:
                WriteByte((byte)ExtensionObjectEncoding.Xml);
                WriteString(xml);
                break;
            default:
                WriteByte((byte)ExtensionObjectEncoding.None);
                break;
        }
    }

    /// <summary>DataValue with its encoding mask; fields equal to their defaults are omitted (Part 6 §5.2.2.17).</summary>
    public void WriteDataValue(in DataValue value)
    {
        var mask = 0;
        if (!value.Value.IsNull) mask |= 0x01;
        if (value.StatusCode.Code != 0) mask |= 0x02;
        if (value.SourceTimestamp != default) mask |= 0x04;
        if (value.ServerTimestamp != default) mask |= 0x08;
        if (value.SourcePicoseconds != 0) mask |= 0x10;
        if (value.ServerPicoseconds != 0) mask |= 0x20;
        WriteByte((byte)mask);
        if ((mask & 0x01) != 0) WriteVariant(value.Value);
        if ((mask & 0x02) != 0) WriteStatusCode(value.StatusCode);
        if ((mask & 0x04) != 0) WriteDateTime(value.SourceTimestamp);
        if ((mask & 0x10) != 0) WriteUInt16(value.SourcePicoseconds);
        if ((mask & 0x08) != 0) WriteDateTime(value.ServerTimestamp);
        if ((mask & 0x20) != 0) WriteUInt16(value.ServerPicoseconds);
    }

    public void WriteDiagnosticInfo(DiagnosticInfo? value)
    {
        if (value is null)
        {
            WriteByte(0);
            return;
        }

        var mask = 0;
        if (value.SymbolicId.HasValue) mask |= 0x01;
        if (value.NamespaceUri.HasValue) mask |= 0x02;
        if (value.LocalizedText.HasValue) mask |= 0x04;
        if (value.Locale.HasValue) mask |= 0x08;
        if (value.AdditionalInfo is not null) mask |= 0x10;
        if (value.InnerStatusCode.HasValue) mask |= 0x20;
        if (value.InnerDiagnosticInfo is not null) mask |= 0x40;
        WriteByte((byte)mask);
        if (value.SymbolicId is { } symbolicId) WriteInt32(symbolicId);
        if (value.NamespaceUri is { } namespaceUri) WriteInt32(namespaceUri);
        if (value.Locale is { } locale) WriteInt32(locale);
        if (value.LocalizedText is { } localizedText) WriteInt32(localizedText);
        if (value.AdditionalInfo is not null) WriteString(value.AdditionalInfo);
        if (value.InnerStatusCode is { } inner) WriteStatusCode(inner);
        if (value.InnerDiagnosticInfo is not null) WriteDiagnosticInfo(value.InnerDiagnosticInfo);
    }

    public readonly void WriteNodeIdArray(NodeId[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteNodeId(value);
        }
    }

    public void WriteDataValueArray(DataValue[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        for (var i = 0; i < values!.Length; i++)
        {
            WriteDataValue(in values[i]);
        }
    }

    public void WriteVariantArray(Variant[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteVariant(value);
        }
    }

    public void WriteDiagnosticInfoArray(DiagnosticInfo?[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteDiagnosticInfo(value);
        }
    }

    public readonly void WriteQualifiedNameArray(QualifiedName[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteQualifiedName(value);
        }
    }

    public readonly void WriteLocalizedTextArray(LocalizedText[]? values)
    {
        if (!WriteArrayLength(values))
        {
            return;
        }

        foreach (var value in values!)
        {
            WriteLocalizedText(value);
        }
    }
}
