using EdgeApp.OpcUa.Encoding;
using static EdgeApp.Tests.OpcUa.Codec;

namespace EdgeApp.Tests.OpcUa.Encoding;

/// <summary>
/// Every built-in type at min, max, null and empty, as a Variant: the type byte then the value's UA Binary bytes.
/// Examples marked "Part 6" are the ones the specification gives (§5.2.2).
/// </summary>
public sealed class BuiltInTypeVectorTests
{
    public static TheoryData<string, Variant, string> Vectors() => new()
    {
        { "Null", Variant.Null, "00" },
        { "Boolean false", new Variant(false), "01 00" },
        { "Boolean true", new Variant(true), "01 01" },
        { "SByte min", new Variant(sbyte.MinValue), "02 80" },
        { "SByte max", new Variant(sbyte.MaxValue), "02 7F" },
        { "Byte min", new Variant(byte.MinValue), "03 00" },
        { "Byte max", new Variant(byte.MaxValue), "03 FF" },
        { "Int16 min", new Variant(short.MinValue), "04 0080" },
        { "Int16 max", new Variant(short.MaxValue), "04 FF7F" },
        { "UInt16 max", new Variant(ushort.MaxValue), "05 FFFF" },
        { "Int32 min", new Variant(int.MinValue), "06 00000080" },
        { "Int32 max", new Variant(int.MaxValue), "06 FFFFFF7F" },
        { "Int32 1e9 (Part 6)", new Variant(1_000_000_000), "06 00CA9A3B" },
        { "UInt32 max", new Variant(uint.MaxValue), "07 FFFFFFFF" },
        { "Int64 min", new Variant(long.MinValue), "08 0000000000000080" },
        { "Int64 max", new Variant(long.MaxValue), "08 FFFFFFFFFFFFFF7F" },
        { "UInt64 max", new Variant(ulong.MaxValue), "09 FFFFFFFFFFFFFFFF" },
        { "Float -6.5 (Part 6)", new Variant(-6.5f), "0A 0000D0C0" },
        { "Float max", new Variant(float.MaxValue), "0A FFFF7F7F" },
        { "Float NaN", new Variant(float.NaN), "0A 0000C0FF" },
        { "Double min", new Variant(double.MinValue), "0B FFFFFFFFFFFFEFFF" },
        { "Double +inf", new Variant(double.PositiveInfinity), "0B 000000000000F07F" },
        { "String null", new Variant((string?)null), "0C FFFFFFFF" },
        { "String empty", new Variant(string.Empty), "0C 00000000" },
        { "String 水Boy (Part 6)", new Variant("水Boy"), "0C 06000000 E6B0B4 426F79" },
        { "DateTime min", new Variant(DateTime.MinValue), "0D 0000000000000000" },
        { "DateTime max", new Variant(DateTime.MaxValue), "0D FFFFFFFFFFFFFF7F" },
        { "DateTime 1601 + 1 tick", new Variant(new DateTime(1601, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddTicks(1)), "0D 0100000000000000" },
        { "Guid empty", new Variant(Guid.Empty), "0E 00000000000000000000000000000000" },
        { "Guid (Part 6)", new Variant(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63")), "0E 912B9672 75FA E64A 8D28B404DC7DAF63" },
        { "ByteString null", new Variant((byte[]?)null), "0F FFFFFFFF" },
        { "ByteString empty", new Variant(Array.Empty<byte>()), "0F 00000000" },
        { "ByteString 010203", new Variant(new byte[] { 1, 2, 3 }), "0F 03000000 010203" },
        { "XmlElement null", new Variant(new UaXmlElement(null)), "10 FFFFFFFF" },
        { "XmlElement", new Variant(new UaXmlElement("<a/>")), "10 04000000 3C612F3E" },
        { "NodeId null", new Variant(NodeId.Null), "11 0000" },
        { "NodeId two-byte i=72 (Part 6)", new Variant(new NodeId(72u)), "11 0048" },
        { "NodeId four-byte ns=5;i=1025 (Part 6)", new Variant(new NodeId(1025u, 5)), "11 01 05 0104" },
        { "NodeId numeric max", new Variant(new NodeId(uint.MaxValue, ushort.MaxValue)), "11 02 FFFF FFFFFFFF" },
        { "NodeId string ns=1;s=Hot水 (Part 6)", new Variant(new NodeId("Hot水", 1)), "11 03 0100 06000000 486F74E6B0B4" },
        { "NodeId guid (Part 6)", new Variant(new NodeId(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"), 4)), "11 04 0400 912B967275FAE64A8D28B404DC7DAF63" },
        { "NodeId opaque empty", new Variant(new NodeId(Array.Empty<byte>(), 2)), "11 05 0200 00000000" },
        { "ExpandedNodeId null", new Variant(ExpandedNodeId.Null), "12 0000" },
        { "ExpandedNodeId uri+server", new Variant(new ExpandedNodeId(new NodeId(7u), "urn:a", 3)), "12 C0 07 05000000 75726E3A61 03000000" },
        { "StatusCode Good", new Variant(StatusCodes.Good), "13 00000000" },
        { "StatusCode BadNodeIdUnknown", new Variant(StatusCodes.BadNodeIdUnknown), "13 00003480" },
        { "QualifiedName null", new Variant(default(QualifiedName)), "14 0000 FFFFFFFF" },
        { "QualifiedName 2:Name", new Variant(new QualifiedName(2, "Name")), "14 0200 04000000 4E616D65" },
        { "LocalizedText null", new Variant(default(LocalizedText)), "15 00" },
        { "LocalizedText text only", new Variant(new LocalizedText(null, "T")), "15 02 01000000 54" },
        { "LocalizedText locale+text", new Variant(new LocalizedText("en", "T")), "15 03 02000000 656E 01000000 54" },
        { "ExtensionObject null", new Variant(ExtensionObject.Null), "16 0000 00" },
        { "ExtensionObject unknown body", new Variant(new ExtensionObject(new NodeId(5000u, 2), ExtensionObjectEncoding.Binary, new byte[] { 0xAB })), "16 01 02 8813 01 01000000 AB" },
        { "DataValue empty", new Variant(new DataValue(Variant.Null)), "17 00" },
        { "DataValue full", new Variant(new DataValue(new Variant(1), StatusCodes.BadNodeIdUnknown, DateTime.MaxValue, DateTime.MaxValue, 1, 2)), "17 3F 06 01000000 00003480 FFFFFFFFFFFFFF7F 0100 FFFFFFFFFFFFFF7F 0200" },
        { "DiagnosticInfo null", new Variant((DiagnosticInfo?)null), "19 00" },
        { "DiagnosticInfo nested", new Variant(new DiagnosticInfo { SymbolicId = 1, Locale = 2, AdditionalInfo = "x", InnerDiagnosticInfo = new DiagnosticInfo { InnerStatusCode = StatusCodes.Bad } }), "19 59 01000000 02000000 01000000 78 20 00000080" },
        { "Int32 array empty", Variant.FromArray(Array.Empty<int>()), "86 00000000" },
        { "Int32 array", Variant.FromArray(new[] { 1, -1 }), "86 02000000 01000000 FFFFFFFF" },
        { "Byte array", Variant.FromArray(BuiltInType.Byte, new byte[] { 1, 2 }), "83 02000000 0102" },
        { "String array with null", Variant.FromArray(new string?[] { "a", null }), "8C 02000000 01000000 61 FFFFFFFF" },
        { "Variant array", Variant.FromArray(new[] { new Variant(true), new Variant("x") }), "98 02000000 0101 0C 01000000 78" },
        { "Int32 matrix 2x3", Variant.FromArray(new[,] { { 1, 2, 3 }, { 4, 5, 6 } }), "C6 06000000 01000000 02000000 03000000 04000000 05000000 06000000 02000000 02000000 03000000" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Encode_EqualsGoldenBytes(string name, Variant value, string hex)
    {
        var bytes = Encode((ref UaWriter w) => w.WriteVariant(value));
        Assert.True(ToHex(Hex(hex)) == ToHex(bytes), $"{name}: expected {ToHex(Hex(hex))}, got {ToHex(bytes)}");
    }

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Decode_ThenReencode_RoundTrips(string name, Variant value, string hex)
    {
        var decoded = Decode(Hex(hex), (ref UaReader r) => r.ReadVariant());
        Assert.True(value.Equals(decoded), $"{name}: decoded {decoded}, expected {value}");
        Assert.Equal(ToHex(Hex(hex)), ToHex(Encode((ref UaWriter w) => w.WriteVariant(decoded))));
    }

    [Fact]
    public void ExtensionObject_KnownType_DecodesToStructure()
    {
        var argument = new EdgeApp.OpcUa.Services.Argument { Name = "a", DataType = (uint)BuiltInType.Int32, ValueRank = -1 };
        var bytes = Encode((ref UaWriter w) => w.WriteExtensionObject(new ExtensionObject(argument)));
        Assert.Equal("01002A0101", ToHex(bytes)[..10]); // four-byte NodeId i=298 (ns 0, 0x012A), binary body
        var decoded = Decode(bytes, (ref UaReader r) => r.ReadExtensionObject());
        Assert.Equal(argument with { ArrayDimensions = decoded.As<EdgeApp.OpcUa.Services.Argument>()!.ArrayDimensions }, decoded.Body);
    }

    [Fact]
    public void DateTime_BeforeEpoch_EncodesAsZero()
    {
        var bytes = Encode((ref UaWriter w) => w.WriteDateTime(new DateTime(1500, 1, 1, 0, 0, 0, DateTimeKind.Utc)));
        Assert.Equal("0000000000000000", ToHex(bytes));
    }
}
