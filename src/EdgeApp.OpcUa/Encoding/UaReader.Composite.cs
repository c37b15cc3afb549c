namespace EdgeApp.OpcUa.Encoding;

/// <summary>The composite built-in types of Part 6 §5.2.2.9 - §5.2.2.17.</summary>
public ref partial struct UaReader
{
    public NodeId ReadNodeId()
    {
        var encoding = ReadByte();
        if ((encoding & 0xC0) != 0)
        {
            throw new OpcUaException(StatusCodes.BadDecodingError, $"NodeId encoding 0x{encoding:X2} has ExpandedNodeId flags.");
        }

        return ReadNodeIdBody(encoding);
    }

    private NodeId ReadNodeIdBody(byte encoding) => (encoding & 0x3F) switch
    {
        0x00 => new NodeId(ReadByte()),
        0x01 => ReadFourByteNodeId(),
        0x02 => ReadNumericNodeId(),
        0x03 => ReadStringNodeId(),
        0x04 => ReadGuidNodeId(),
        0x05 => ReadOpaqueNodeId(),
        _ => throw new OpcUaException(StatusCodes.BadDecodingError, $"Unknown NodeId encoding 0x{encoding:X2}."),
    };

    private NodeId ReadFourByteNodeId()
    {
        var ns = ReadByte();
        return new NodeId(ReadUInt16(), ns);
    }

    private NodeId ReadStringNodeId()
    {
        var ns = ReadUInt16();
        return new NodeId(ReadString() ?? string.Empty, ns);
    }

    private NodeId ReadNumericNodeId()
    {
        var ns = ReadUInt16();
        return new NodeId(ReadUInt32(), ns);
    }

    private NodeId ReadGuidNodeId()
    {
        var ns = ReadUInt16();
        return new NodeId(ReadGuid(), ns);
    }

    private NodeId ReadOpaqueNodeId()
    {
        var ns = ReadUInt16();
        return new NodeId(ReadByteString() ?? [], ns);
    }

    public ExpandedNodeId ReadExpandedNodeId()
    {
        var encoding = ReadByte();
        var nodeId = ReadNodeIdBody(encoding);
        var uri = (encoding & 0x80) != 0 ? ReadString() : null;
        var server = (encoding & 0x40) != 0 ? ReadUInt32() : 0;
        return new ExpandedNodeId(nodeId, uri, server);
    }

    public QualifiedName ReadQualifiedName()
    {
        var ns = ReadUInt16();
        return new QualifiedName(ns, ReadString());
    }

    public LocalizedText ReadLocalizedText()
    {
        var mask = ReadByte();
        var locale = (mask & 0x01) != 0 ? ReadString() : null;
        var text = (mask & 0x02) != 0 ? ReadString() : null;
        return new LocalizedText(locale, text);
    }

    /// <summary>Known binary bodies decode through the registry; unknown ones stay bytes so they re-encode unchanged.</summary>
    public ExtensionObject ReadExtensionObject()
    {
        var typeId = ReadNodeId();
        var encoding = ReadByte();
        switch (encoding)
        {
            case 0:
                return typeId.IsNull ? ExtensionObject.Null : new ExtensionObject(typeId, ExtensionObjectEncoding.None, null);
            case 1:
                var body = ReadByteStringSpan();
                if (_context.Types.TryGetDecoder(typeId, out var decoder))
                {
                    var inner = new UaReader(body, _context) { _depth = _depth + 1 };
                    if (inner._depth > _context.MaxNestingDepth)
                    {
                        throw new OpcUaException(StatusCodes.BadEncodingLimitsExceeded, "ExtensionObjects nested too deep.");
                    }

                    return new ExtensionObject(typeId, ExtensionObjectEncoding.Binary, decoder(ref inner));
                }

                return new ExtensionObject(typeId, ExtensionObjectEncoding.Binary, body.ToArray());
            case 2:
                return new ExtensionObject(typeId, ExtensionObjectEncoding.Xml, ReadXmlElement().Xml);
            default:
                throw new OpcUaException(StatusCodes.BadDecodingError, $"ExtensionObject encoding {encoding} is invalid.");
        }
    }

    public DataValue ReadDataValue()
    {
        var mask = ReadByte();
        var value = (mask & 0x01) != 0 ? ReadVariant() : default;
        var status = (mask & 0x02) != 0 ? ReadStatusCode() : default;
        var sourceTime = (mask & 0x04) != 0 ? ReadDateTime() : default;
        var sourcePico = (mask & 0x10) != 0 ? ReadUInt16() : (ushort)0;
        var serverTime = (mask & 0x08) != 0 ? ReadDateTime() : default;
        var serverPico = (mask & 0x20) != 0 ? ReadUInt16() : (ushort)0;
        return new DataValue(value, status, sourceTime, serverTime, sourcePico, serverPico);
    }

    public DiagnosticInfo? ReadDiagnosticInfo()
    {
        var mask = ReadByte();
        if (mask == 0)
        {
            return null;
        }

        Enter();
        var info = new DiagnosticInfo
        {
            SymbolicId = (mask & 0x01) != 0 ? ReadInt32() : null,
            NamespaceUri = (mask & 0x02) != 0 ? ReadInt32() : null,
            Locale = (mask & 0x08) != 0 ? ReadInt32() : null,
            LocalizedText = (mask & 0x04) != 0 ? ReadInt32() : null,
            AdditionalInfo = (mask & 0x10) != 0 ? ReadString() : null,
            InnerStatusCode = (mask & 0x20) != 0 ? ReadStatusCode() : null,
            InnerDiagnosticInfo = (mask & 0x40) != 0 ? ReadDiagnosticInfo() : null,
        };
        Leave();
        return info;
    }

    public NodeId[] ReadNodeIdArray()
    {
        var count = ReadArrayLength(2);
        var result = NewArray<NodeId>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadNodeId();
        }

        return result;
    }

    public DataValue[] ReadDataValueArray()
    {
        var count = ReadArrayLength();
        var result = NewArray<DataValue>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadDataValue();
        }

        return result;
    }

    public Variant[] ReadVariantArray()
    {
        var count = ReadArrayLength();
        var result = NewArray<Variant>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadVariant();
        }

        return result;
    }

    public DiagnosticInfo?[] ReadDiagnosticInfoArray()
    {
        var count = ReadArrayLength();
        var result = NewArray<DiagnosticInfo?>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadDiagnosticInfo();
        }

        return result;
    }

    public QualifiedName[] ReadQualifiedNameArray()
    {
        var count = ReadArrayLength(6);
        var result = NewArray<QualifiedName>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadQualifiedName();
        }

        return result;
    }

    public LocalizedText[] ReadLocalizedTextArray()
    {
        var count = ReadArrayLength();
        var result = NewArray<LocalizedText>(count);
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = ReadLocalizedText();
        }

        return result;
    }
}
