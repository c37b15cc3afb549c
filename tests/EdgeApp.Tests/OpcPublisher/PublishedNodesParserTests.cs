using System.Text;
using EdgeApp.OpcPublisher;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcPublisher;

public sealed class PublishedNodesParserTests
{
    private static PublishedNodesDocument Parse(string json) => PublishedNodesParser.Parse(Encoding.UTF8.GetBytes(json), "pn.json");

    private static PublishedNodesException Fails(string json) => Assert.Throws<PublishedNodesException>(() => Parse(json));

    [Fact]
    public void Parse_ReadsEveryListedField_InAnyCase()
    {
        var document = Parse("""
            [
              {
                "endpointurl": "opc.tcp://plc:50000",
                "UseSecurity": false,
                "OPCAUTHENTICATIONMODE": "UsernamePassword",
                "OpcAuthenticationUsername": "user",
                "OpcAuthenticationPassword": "secret",
                "DataSetWriterGroup": "line-1",
                "DataSetWriterId": "fast",
                "DataSetPublishingInterval": 250,
                "DataSetKeyFrameCount": 10,
                "DataSetExtensionFields": { "AssetId": 5, "Site": "Basel" },
                "MessagingMode": "FullSamples",
                "MessageEncoding": "Json",
                "BatchSize": "20",
                "BatchTriggerIntervalTimespan": "00:00:00.050",
                "OpcNodes": [
                  {
                    "Id": "nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp",
                    "OpcSamplingInterval": 100,
                    "OpcPublishingInterval": 500,
                    "DisplayName": "Step",
                    "DataSetFieldId": "step",
                    "HeartbeatInterval": 2,
                    "SkipFirst": "true",
                    "QueueSize": 5,
                    "DiscardNew": true,
                    "DataChangeTrigger": "StatusValueTimestamp",
                    "DeadbandType": "Absolute",
                    "DeadbandValue": 0.5,
                    "IndexRange": "1:2"
                  },
                  { "ExpandedNodeId": "ns=3;i=1001", "OpcSamplingIntervalTimespan": "00:00:01", "HeartbeatIntervalTimespan": "00:00:00.500" }
                ]
              }
            ]
            """);

        var entry = Assert.Single(document.Entries);
        Assert.Equal("opc.tcp://plc:50000", entry.EndpointUrl);
        Assert.Equal(AuthenticationMode.UsernamePassword, entry.OpcAuthenticationMode);
        Assert.Equal("user", entry.OpcAuthenticationUsername);
        Assert.Equal("secret", entry.OpcAuthenticationPassword);
        Assert.Equal("line-1", entry.DataSetWriterGroup);
        Assert.Equal("fast", entry.DataSetWriterId);
        Assert.Equal(TimeSpan.FromMilliseconds(250), entry.DataSetPublishingInterval);
        Assert.Equal(10u, entry.DataSetKeyFrameCount);
        Assert.Equal("5", entry.DataSetExtensionFields!["AssetId"]);
        Assert.Equal("\"Basel\"", entry.DataSetExtensionFields["Site"]);
        Assert.Equal(MessagingMode.Samples, entry.MessagingMode);
        Assert.Equal(20, entry.BatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(50), entry.BatchTriggerInterval);
        Assert.Equal(2, entry.OpcNodes.Count);

        var node = entry.OpcNodes[0];
        Assert.Equal("nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp", node.Id);
        Assert.Equal(TimeSpan.FromMilliseconds(100), node.OpcSamplingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), node.OpcPublishingInterval);
        Assert.Equal("Step", node.DisplayName);
        Assert.Equal("step", node.FieldName);
        Assert.Equal(TimeSpan.FromSeconds(2), node.HeartbeatInterval);
        Assert.True(node.SkipFirst);
        Assert.Equal(5u, node.QueueSize);
        Assert.True(node.DiscardNew);
        Assert.Equal(DataChangeTrigger.StatusValueTimestamp, node.DataChangeTrigger);
        Assert.Equal(DeadbandType.Absolute, node.DeadbandType);
        Assert.Equal(0.5, node.DeadbandValue);
        Assert.Equal("1:2", node.IndexRange);
        Assert.Equal(new SourcePosition(19, 15), node.Position);

        Assert.Equal("ns=3;i=1001", entry.OpcNodes[1].Id);
        Assert.Equal(TimeSpan.FromSeconds(1), entry.OpcNodes[1].OpcSamplingInterval);
        Assert.Equal(TimeSpan.FromMilliseconds(500), entry.OpcNodes[1].HeartbeatInterval);
        Assert.Empty(document.Warnings);
    }

    [Theory]
    [InlineData("i=2258")]
    [InlineData("ns=3;s=StepUp")]
    [InlineData("nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp")]
    [InlineData("http://microsoft.com/Opc/OpcPlc/#s=StepUp")]
    [InlineData("ns=2;g=5ce9dbce-5d79-434c-9ac3-1cfba9a6e92c")]
    [InlineData("ns=2;b=AAECAw==")]
    public void Parse_AcceptsEveryNodeIdForm(string id)
    {
        var entry = Parse($$"""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"Id": "{{id}}"}]}]""").Entries[0];

        Assert.Equal(id, entry.OpcNodes[0].Id);
        Assert.True(PublishedNodesParser.TryNormalizeNodeId(id, out var parsed));
        Assert.False(parsed.IsNull);
    }

    [Fact]
    public void Parse_TurnsTheIiotFormIntoANamespaceUri()
    {
        Assert.True(PublishedNodesParser.TryNormalizeNodeId("http://microsoft.com/Opc/OpcPlc/#s=StepUp", out var id));

        Assert.Equal("http://microsoft.com/Opc/OpcPlc/", id.NamespaceUri);
        Assert.Equal("StepUp", id.NodeId.StringId);
    }

    [Fact]
    public void Parse_AllowsCommentsTrailingCommasAndAByteOrderMark()
    {
        var json = "\uFEFF[ // the PLC\n {\"EndpointUrl\": \"opc.tcp://plc:50000\", \"OpcNodes\": [{\"Id\": \"i=2258\"},],},]";

        Assert.Single(Parse(json).Entries);
    }

    [Fact]
    public void Parse_WarnsAboutFieldsItDoesNotActOn()
    {
        var document = Parse("""[{"EndpointUrl": "opc.tcp://plc:50000", "SendKeepAliveDataSetMessages": true, "OpcNodes": [{"Id": "i=2258", "UseCyclicRead": true}]}]""");

        Assert.Equal(2, document.Warnings.Count);
        Assert.Contains(document.Warnings, w => w.Contains("[0].OpcNodes[0].UseCyclicRead", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_NamesFileLineColumnAndField_ForAWrongType()
    {
        var error = Fails("""
            [
              {
                "EndpointUrl": "opc.tcp://plc:50000",
                "OpcNodes": [
                  { "Id": "i=2258" },
                  { "Id": "i=2259", "OpcSamplingInterval": "fast" }
                ]
              }
            ]
            """);

        Assert.Equal("pn.json", error.SourceName);
        Assert.Equal(new SourcePosition(6, 48), error.Position);
        Assert.Equal("[0].OpcNodes[1].OpcSamplingInterval", error.Field);
        Assert.StartsWith("pn.json: line 6, column 48: [0].OpcNodes[1].OpcSamplingInterval: expected a whole number, found \"fast\"", error.Message);
    }

    [Theory]
    [InlineData("""{"EndpointUrl": "opc.tcp://plc:50000"}""", "expected a JSON array of entries")]
    [InlineData("""[{"OpcNodes": []}]""", "[0].EndpointUrl: is required")]
    [InlineData("""[{"EndpointUrl": "http://plc:50000"}]""", "[0].EndpointUrl: 'http://plc:50000' is not an opc.tcp://host:port URL")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"DisplayName": "x"}]}]""", "[0].OpcNodes[0].Id: is required")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"Id": "ns=x;s=1"}]}]""", "[0].OpcNodes[0].Id: 'ns=x;s=1' is not a NodeId")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"Id": "i=1", "QueueSize": -1}]}]""", "[0].OpcNodes[0].QueueSize: -1 is out of range")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"Id": "i=1", "DataChangeTrigger": "Sometimes"}]}]""", "[0].OpcNodes[0].DataChangeTrigger: expected one of Status, StatusValue, StatusValueTimestamp")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"Id": "i=1", "DeadbandType": "Percent", "DeadbandValue": 150}]}]""", "[0].OpcNodes[0].DeadbandValue: a percent deadband must be between 0 and 100")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"Id": "i=1", "OpcPublishingIntervalTimespan": "soon"}]}]""", "[0].OpcNodes[0].OpcPublishingIntervalTimespan: 'soon' is not a duration")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "MessagingMode": "Uadp"}]""", "[0].MessagingMode: 'Uadp' is not supported")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "MessageEncoding": "Avro"}]""", "[0].MessageEncoding: 'Avro' is not supported")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcNodes": [{"Id": "i=2253", "EventFilter": {}}]}]""", "[0].OpcNodes[0].EventFilter: events and conditions are not supported")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "OpcAuthenticationMode": "UsernamePassword"}]""", "[0].OpcAuthenticationUsername: is required")]
    [InlineData("""[{"EndpointUrl": "opc.tcp://plc:50000", "UseSecurity": "maybe"}]""", "[0].UseSecurity: expected true or false")]
    public void Parse_RefusesInvalidContent_NamingTheField(string json, string expected)
    {
        var error = Fails(json);

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.NotNull(error.Position);
    }

    [Fact]
    public void Parse_ReportsMalformedJsonWithItsPosition()
    {
        var error = Fails("[\n  {\"EndpointUrl\": \"opc.tcp://plc:50000\",\n   \"OpcNodes\": [ { \"Id\" \"i=1\" } ]\n  }\n]");

        Assert.Contains("malformed JSON", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, error.Position!.Value.Line);
    }

    [Fact]
    public void Parse_OfAnEmptyFile_SaysSo()
    {
        Assert.Contains("the file is empty", Fails(string.Empty).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Writer_RoundTripsThroughTheParser()
    {
        var original = Parse("""
            [{"EndpointUrl": "opc.tcp://plc:50000", "DataSetWriterGroup": "g", "DataSetWriterId": "w", "DataSetPublishingInterval": 100,
              "DataSetExtensionFields": {"A": 1}, "OpcAuthenticationMode": "UsernamePassword", "OpcAuthenticationUsername": "u", "OpcAuthenticationPassword": "p",
              "OpcNodes": [{"Id": "i=1", "OpcSamplingInterval": 50, "HeartbeatInterval": 3, "SkipFirst": true, "QueueSize": 4,
                            "DataChangeTrigger": "Status", "DeadbandType": "Percent", "DeadbandValue": 2.5, "DisplayName": "d"},
                           {"Id": "i=2", "HeartbeatIntervalTimespan": "00:00:00.250", "OpcPublishingIntervalTimespan": "00:00:00.0005"}]}]
            """).Entries;

        var again = PublishedNodesParser.Parse(PublishedNodesWriter.Write(original), "written").Entries;

        Assert.Equal(original.Select(e => e with { Position = null, OpcNodes = [], DataSetExtensionFields = null }), again.Select(e => e with { Position = null, OpcNodes = [], DataSetExtensionFields = null }));
        Assert.Equal(original[0].OpcNodes.Select(n => n with { Position = null }), again[0].OpcNodes.Select(n => n with { Position = null }));
        Assert.Equal(original[0].DataSetExtensionFields, again[0].DataSetExtensionFields);
    }

    [Theory]
    [InlineData("\"DeadbandType\": -1", "[0].OpcNodes[0].DeadbandType")]
    [InlineData("\"DeadbandType\": 4294967296", "[0].OpcNodes[0].DeadbandType")]
    [InlineData("\"DeadbandType\": \"Absolute\", \"DeadbandValue\": 1e400", "[0].OpcNodes[0].DeadbandValue")]
    [InlineData("\"DeadbandType\": \"Absolute\", \"DeadbandValue\": \"NaN\"", "[0].OpcNodes[0].DeadbandValue")]
    [InlineData("\"DeadbandType\": \"Absolute\", \"DeadbandValue\": \"-Infinity\"", "[0].OpcNodes[0].DeadbandValue")]
    [InlineData("\"DisplayName\": \"\\uD800\"", "")]
    public void Parse_RejectsValuesTheReaderCannotConvert_AsAPublishedNodesError(string field, string named)
    {
        var json = "[{\"EndpointUrl\": \"opc.tcp://a:50000\", \"OpcNodes\": [{\"Id\": \"i=1\", " + field + "}]}]";

        var error = Fails(json);

        Assert.Equal(named, error.Field);
        Assert.Equal(1, error.Position?.Line);
    }

    [Fact]
    public void Write_IntervalsLongerThanADay_ReadBackAsTimespans()
    {
        var original = Parse("""[{"EndpointUrl": "opc.tcp://a:50000", "DataSetPublishingIntervalTimespan": "2.00:00:00", "OpcNodes": [{"Id": "i=1", "OpcSamplingIntervalTimespan": "1.00:00:00.001"}]}]""").Entries;

        var again = PublishedNodesParser.Parse(PublishedNodesWriter.Write(original), "written").Entries;

        Assert.Equal(TimeSpan.FromDays(2), again[0].DataSetPublishingInterval);
        Assert.Equal(TimeSpan.FromDays(1) + TimeSpan.FromMilliseconds(1), again[0].OpcNodes[0].OpcSamplingInterval);
    }
}
