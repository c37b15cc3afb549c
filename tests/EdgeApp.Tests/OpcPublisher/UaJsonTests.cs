using System.Buffers;
using System.Text;
using System.Text.Json;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.Tests.OpcPublisher;

/// <summary>Golden JSON for every built-in type (Part 6 §5.4, non-reversible), scalars, arrays and matrices.</summary>
public sealed class UaJsonTests
{
    private static readonly string[] Namespaces = ["http://opcfoundation.org/UA/", "urn:plc", "http://microsoft.com/Opc/OpcPlc/"];

    private static readonly DateTime Time = new(2026, 11, 30, 12, 0, 1, DateTimeKind.Utc);

    public static TheoryData<string, Variant, string> Scalars() => new()
    {
        { "Null", Variant.Null, "null" },
        { "Boolean", new Variant(true), "true" },
        { "SByte", new Variant((sbyte)-8), "-8" },
        { "Byte", new Variant((byte)200), "200" },
        { "Int16", new Variant((short)-300), "-300" },
        { "UInt16", new Variant((ushort)60000), "60000" },
        { "Int32", new Variant(-70000), "-70000" },
        { "UInt32", new Variant(4000000000u), "4000000000" },
        { "Int64", new Variant(-9007199254740993L), "\"-9007199254740993\"" },
        { "UInt64", new Variant(18446744073709551615UL), "\"18446744073709551615\"" },
        { "Float", new Variant(1.5f), "1.5" },
        { "Float NaN", new Variant(float.NaN), "\"NaN\"" },
        { "Double", new Variant(0.1), "0.1" },
        { "Double +Inf", new Variant(double.PositiveInfinity), "\"Infinity\"" },
        { "Double -Inf", new Variant(double.NegativeInfinity), "\"-Infinity\"" },
        { "String", new Variant("Ä \"q\""), "\"Ä \\\"q\\\"\"" },
        { "DateTime", new Variant(Time.AddTicks(1234500)), "\"2026-11-30T12:00:01.12345Z\"" },
        { "DateTime whole", new Variant(Time), "\"2026-11-30T12:00:01Z\"" },
        { "DateTime min", new Variant(DateTime.MinValue), "\"0001-01-01T00:00:00Z\"" },
        { "Guid", new Variant(Guid.Parse("5ce9dbce-5d79-434c-9ac3-1cfba9a6e92c")), "\"5ce9dbce-5d79-434c-9ac3-1cfba9a6e92c\"" },
        { "ByteString", new Variant([0, 1, 2, 255]), "\"AAEC/w==\"" },
        { "XmlElement", new Variant(new UaXmlElement("<a>1</a>")), "\"<a>1</a>\"" },
        { "NodeId ns0", new Variant(new NodeId(2258)), "\"i=2258\"" },
        { "NodeId with URI", new Variant(new NodeId("StepUp", 2)), "\"nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp\"" },
        { "NodeId unknown ns", new Variant(new NodeId(7, 9)), "\"ns=9;i=7\"" },
        { "ExpandedNodeId", new Variant(new ExpandedNodeId(new NodeId("x", 0), "urn:a")), "\"nsu=urn:a;s=x\"" },
        { "StatusCode", new Variant(new StatusCode(0x8031_0000)), """{"Code":2150694912,"Symbol":"BadNoCommunication"}""" },
        { "StatusCode good with bits", new Variant(new StatusCode(0x480)), """{"Code":1152,"Symbol":"Good"}""" },
        { "QualifiedName", new Variant(new QualifiedName(2, "Temp")), """{"Name":"Temp","Uri":"http://microsoft.com/Opc/OpcPlc/"}""" },
        { "QualifiedName ns0", new Variant(new QualifiedName("Temp")), """{"Name":"Temp"}""" },
        { "LocalizedText", new Variant(new LocalizedText("en", "Hot")), "\"Hot\"" },
        { "ExtensionObject", new Variant(new ExtensionObject(new NodeId(15072, 4), ExtensionObjectEncoding.Binary, new byte[] { 1, 2 })), """{"TypeId":"ns=4;i=15072","Body":"AQI="}""" },
        { "DataValue", new Variant(new DataValue(new Variant(5), StatusCodes.Good, Time)), """{"Value":5,"SourceTimestamp":"2026-11-30T12:00:01Z"}""" },
        { "DataValue of a StatusCode", new Variant(new DataValue(new Variant(new StatusCode(0x4000_0000)))), """{"Value":{"Code":1073741824,"Symbol":"Uncertain"}}""" },
        { "Variant", Variant.FromArray(BuiltInType.Variant, new Variant[] { new(1), new("a"), new(2.5) }), "[1,\"a\",2.5]" },
        { "DiagnosticInfo", new Variant(new DiagnosticInfo { SymbolicId = 1, AdditionalInfo = "why", InnerStatusCode = StatusCodes.BadTimeout }), """{"SymbolicId":1,"AdditionalInfo":"why","InnerStatusCode":{"Code":2148139008,"Symbol":"BadTimeout"}}""" },
    };

    [Theory]
    [MemberData(nameof(Scalars))]
    public void WriteVariant_WritesEveryBuiltInType(string name, Variant value, string expected)
    {
        Assert.True(name.Length > 0);
        Assert.Equal(expected, Write(w => UaJson.WriteVariant(w, value, Namespaces)));
    }

    [Fact]
    public void WriteVariant_WritesTheTypeOfEveryBuiltInTypeSomewhere()
    {
        var covered = Scalars().Select(row => ((Variant)row[1]).Type).ToHashSet();

        Assert.Equal(Enum.GetValues<BuiltInType>().ToHashSet(), covered);
    }

    [Fact]
    public void WriteVariant_WritesArraysAndMatrices()
    {
        Assert.Equal("[1,2,3]", Write(w => UaJson.WriteVariant(w, Variant.FromArray(BuiltInType.UInt32, new uint[] { 1, 2, 3 }))));
        Assert.Equal("[\"1\",\"-2\"]", Write(w => UaJson.WriteVariant(w, Variant.FromArray(BuiltInType.Int64, new long[] { 1, -2 }))));
        Assert.Equal("[\"a\",null]", Write(w => UaJson.WriteVariant(w, Variant.FromArray(BuiltInType.String, new string?[] { "a", null }))));
        Assert.Equal("[[1,2,3],[4,5,6]]", Write(w => UaJson.WriteVariant(w, Variant.FromArray(BuiltInType.Int32, new[] { 1, 2, 3, 4, 5, 6 }, [2, 3]))));
        Assert.Equal("[true,false]", Write(w => UaJson.WriteVariant(w, Variant.FromArray(BuiltInType.Boolean, new[] { true, false }))));
    }

    [Fact]
    public void WriteDataValue_LeavesOutGoodStatusAndMissingTimestamps_AndWritesBadStatusWithoutValue()
    {
        Assert.Equal(
            """{"Value":7,"SourceTimestamp":"2026-11-30T12:00:01Z","ServerTimestamp":"2026-11-30T12:00:01.5Z"}""",
            Write(w => UaJson.WriteDataValue(w, new DataValue(new Variant(7u), StatusCodes.Good, Time, Time.AddMilliseconds(500)))));
        Assert.Equal(
            """{"StatusCode":{"Code":2150694912,"Symbol":"BadNoCommunication"},"SourceTimestamp":"2026-11-30T12:00:01Z"}""",
            Write(w => UaJson.WriteDataValue(w, new DataValue(Variant.Null, new StatusCode(0x8031_0000), Time))));
        Assert.Equal(
            """{"Value":4,"StatusCode":{"Code":1083179008,"Symbol":"UncertainLastUsableValue"}}""",
            Write(w => UaJson.WriteDataValue(w, new DataValue(new Variant(4), new StatusCode(0x4090_0000)))));
    }

    [Fact]
    public void EveryWrittenValue_IsValidJson()
    {
        foreach (var row in Scalars())
        {
            var value = (Variant)row[1];
            using var document = JsonDocument.Parse(Write(w =>
            {
                w.WriteStartObject();
                w.WritePropertyName("v");
                UaJson.WriteVariant(w, value, Namespaces);
                w.WriteEndObject();
            }));
            Assert.True(document.RootElement.TryGetProperty("v", out _));
        }
    }

    internal static string Write(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(writer);
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
