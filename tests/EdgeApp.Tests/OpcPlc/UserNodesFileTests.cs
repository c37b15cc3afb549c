using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>OPC PLC's user nodes file (<c>--nf</c>): the documented sample, nested folders, values, and clear errors.</summary>
public sealed class UserNodesFileTests
{
    // The sample of OPC PLC's documentation, plus a nested folder, values, an array and a GUID identifier.
    private const string Sample = """
        {
          "Folder": "MyTelemetry",
          "NodeList": [
            { "NodeId": 1023, "Name": "ActualSpeed", "Description": "Rotational speed" },
            { "NodeId": "aRMS" },
            { "NodeId": "1025", "Name": "DKW", "DataType": "Float", "ValueRank": -1, "AccessLevel": "CurrentReadOrWrite", "Description": "Diagnostic characteristic value" },
          ],
          // comments and trailing commas are fine
          "FolderList": [
            {
              "Folder": "Line1",
              "NodeList": [
                { "NodeId": "Counter", "DataType": "UInt64", "Value": 42, "AccessLevel": "CurrentRead" },
                { "NodeId": "Recipe", "DataType": "String", "Value": "Bread" },
                { "nodeid": "Setpoints", "datatype": "double", "valuerank": 1, "value": [1.5, 2.5] },
                { "NodeId": "0f8fad5b-d9cb-469f-a165-70867728950e", "Name": "ByGuid", "DataType": "Boolean", "Value": true },
                { "NodeId": "Started", "DataType": "DateTime", "Value": "2026-01-02T03:04:05Z" }
              ]
            }
          ]
        }
        """;

    private static string WriteFile(string content)
    {
        var path = Path.Combine(Path.GetTempPath(), $"opcplc-nodes-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, content);
        return path;
    }

    [Fact]
    public async Task Sample_CreatesFoldersAndNodes_AsOpcPlcDoes()
    {
        var file = WriteFile(Sample);
        await using var plc = TestPlc.Create(o => o.NodesFile = file);
        await using var client = await plc.ConnectAsync();

        var folder = (await client.BrowseAllAsync(plc.Id("OpcPlc"))).Single(r => r.BrowseName.Name == "MyTelemetry");
        Assert.Equal(plc.Id("MyTelemetry"), folder.NodeId.NodeId);
        var children = await client.BrowseAllAsync(plc.Id("MyTelemetry"));
        Assert.Equal(["1023", "1025", "Line1", "aRMS"], children.Select(c => c.BrowseName.Name).Order(StringComparer.Ordinal));

        var speed = new NodeId(1023u, plc.Ns);
        var read = await client.ReadAsync(
        [
            new ReadValueId { NodeId = speed, AttributeId = AttributeId.DisplayName },
            new ReadValueId { NodeId = speed, AttributeId = AttributeId.Description },
            new ReadValueId { NodeId = speed, AttributeId = AttributeId.DataType },
            new ReadValueId { NodeId = speed, AttributeId = AttributeId.Value },
            new ReadValueId { NodeId = plc.Id("aRMS"), AttributeId = AttributeId.DisplayName },
            new ReadValueId { NodeId = plc.Id("1025"), AttributeId = AttributeId.Value },
        ]);
        Assert.Equal("ActualSpeed", read[0].Value.Get<LocalizedText>().Text);
        Assert.Equal("Rotational speed", read[1].Value.Get<LocalizedText>().Text);
        Assert.Equal(new NodeId((uint)BuiltInType.Int32), read[2].Value.Get<NodeId>());
        Assert.Equal(0, read[3].Value.Get<int>());
        Assert.Equal("s=aRMS", read[4].Value.Get<LocalizedText>().Text);
        Assert.Equal(0f, read[5].Value.Get<float>());

        Assert.Equal(42UL, (await client.ReadAsync(plc.Id("Counter"))).Value.Value);
        Assert.Equal("Bread", (await client.ReadAsync(plc.Id("Recipe"))).Value.Value);
        Assert.Equal(new[] { 1.5, 2.5 }, (await client.ReadAsync(plc.Id("Setpoints"))).Value.Get<double[]>());
        Assert.Equal(true, (await client.ReadAsync(new NodeId(Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e"), plc.Ns))).Value.Value);
        Assert.Equal(new DateTime(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc), (await client.ReadAsync(plc.Id("Started"))).Value.Value);
    }

    [Fact]
    public async Task UserNodes_KeepWhatClientsWrite_AndHonourTheAccessLevel()
    {
        var file = WriteFile(Sample);
        await using var plc = TestPlc.Create(o => o.NodesFile = file);
        await using var client = await plc.ConnectAsync();

        Assert.True((await client.WriteAsync(plc.Id("aRMS"), new Variant(17))).IsGood);
        Assert.Equal(17, (await client.ReadAsync(plc.Id("aRMS"))).Value.Get<int>());
        Assert.Equal(StatusCodes.BadNotWritable, await client.WriteAsync(plc.Id("Counter"), new Variant(1UL)));
        Assert.Equal(StatusCodes.BadTypeMismatch, await client.WriteAsync(plc.Id("aRMS"), new Variant("text")));
    }

    [Fact]
    public void UserNodes_AreInPublishedNodes()
    {
        var file = WriteFile(Sample);
        using var plc = TestPlc.Create(o => o.NodesFile = file);
        var ids = plc.Plc.PublishedNodes().Select(n => n.Id).ToList();

        Assert.Contains("nsu=http://microsoft.com/Opc/OpcPlc/;i=1023", ids);
        Assert.Contains("nsu=http://microsoft.com/Opc/OpcPlc/;s=aRMS", ids);
        Assert.Contains("nsu=http://microsoft.com/Opc/OpcPlc/;s=1025", ids);
        Assert.Contains("nsu=http://microsoft.com/Opc/OpcPlc/;g=0f8fad5b-d9cb-469f-a165-70867728950e", ids);
    }

    [Theory]
    [InlineData("{\n  \"Folder\": \"F\",\n  \"NodeList\": [\n    { \"NodeId\": 1 \n  ]\n}", "line 5, column 3: invalid JSON")]
    [InlineData("{\n  \"Folder\": \"F\",\n  \"NodeList\": [\n    { \"NodeId\": \"A\" },\n    { \"NodeId\": \"B\", \"DataType\": \"Flot\" }\n  ]\n}",
        "line 5, column 34 ($.NodeList[1].DataType): 'Flot' is not a supported data type (Boolean, SByte")]
    [InlineData("{ \"Folder\": \"F\", \"NodeList\": [ { \"NodeId\": \"A\", \"AccessLevel\": \"ReadOnly\" } ] }",
        "line 1, column 64 ($.NodeList[0].AccessLevel): 'ReadOnly' is not an access level")]
    [InlineData("{ \"Folder\": \"F\", \"NodeList\": [ { \"NodeId\": \"A\", \"DataType\": \"Byte\", \"Value\": 300 } ] }",
        "($.NodeList[0].Value): 300 is not a Byte value in range")]
    [InlineData("{ \"Folder\": \"F\", \"NodeList\": [ { \"Name\": \"NoId\" } ] }", "line 1, column 32 ($.NodeList[0]): \"NodeId\" is required")]
    [InlineData("{ \"Folder\": \"F\", \"NodeList\": [ { \"NodeId\": true } ] }", "($.NodeList[0].NodeId): \"NodeId\" must be a whole number")]
    [InlineData("{ \"NodeList\": [] }", "($.Folder): \"Folder\" must name the folder")]
    [InlineData("{ \"Folder\": \"F\", \"FolderList\": [ { \"Folder\": \"G\", \"NodeList\": [ { \"NodeId\": \"X\", \"ValueRank\": 3 } ] } ] }",
        "($.FolderList[0].NodeList[0].ValueRank): \"ValueRank\" must be -1")]
    [InlineData("{ \"Folder\": \"F\", \"NodeList\": [ { \"NodeId\": \"X\", \"ValueRank\": 1, \"Value\": 5 } ] }",
        "($.NodeList[0].Value): must be an array for ValueRank 1")]
    [InlineData("[]", "line 1, column 1 ($): must be a folder object")]
    public void InvalidFile_IsAnError_NamingFileLineColumnAndField(string json, string expected)
    {
        var error = Assert.Throws<UserNodesFileException>(() => UserNodesFile.Parse(json, "nodes.json"));
        Assert.StartsWith("nodes.json line ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NodeIdThatIsAlreadyUsed_IsAnError_NamingItsPosition()
    {
        var file = WriteFile("{\n  \"Folder\": \"Mine\",\n  \"NodeList\": [\n    { \"NodeId\": \"StepUp\" }\n  ]\n}");
        var error = Assert.Throws<UserNodesFileException>(() => TestPlc.Create(o => o.NodesFile = file));
        Assert.Contains($"{file} line 4, column 5: NodeId nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp is already used by Variable 'StepUp'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidFile_StopsTheAppAtStart_NamingTheOptionAndPosition()
    {
        var file = WriteFile("{ \"Folder\": \"F\", \"NodeList\": [ { \"NodeId\": \"A\", \"DataType\": \"Decimal\" } ] }");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PlcApp.StartAsync("--nf", file));
        Assert.Contains($"OpcPlc:NodesFile (--nf): {file} line 1, column 61 ($.NodeList[0].DataType): 'Decimal' is not a supported data type", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FoldersWithTheSameNameInDifferentPlaces_AreDistinct()
    {
        var file = WriteFile("""
        { "Folder": "Plant", "FolderList": [
            { "Folder": "Area1", "FolderList": [ { "Folder": "Motor", "NodeList": [ { "NodeId": "Speed1" } ] } ] },
            { "Folder": "Area2", "FolderList": [ { "Folder": "Motor", "NodeList": [ { "NodeId": "Speed2" } ] } ] } ] }
        """);
        await using var plc = TestPlc.Create(o => o.NodesFile = file);
        await using var client = await plc.ConnectAsync();
        var area1 = (await client.BrowseAllAsync(plc.Id("Area1"))).Single(r => r.BrowseName.Name == "Motor").NodeId.NodeId;
        var area2 = (await client.BrowseAllAsync(plc.Id("Area2"))).Single(r => r.BrowseName.Name == "Motor").NodeId.NodeId;
        Assert.NotEqual(area1, area2);
        Assert.Equal(["Speed1"], (await client.BrowseAllAsync(area1)).Select(r => r.BrowseName.Name));
        Assert.Equal(["Speed2"], (await client.BrowseAllAsync(area2)).Select(r => r.BrowseName.Name));
    }

    [Fact]
    public void FolderNamedLikeOneOfThePlcsOwn_IsAnError_NotMerged()
    {
        var file = WriteFile("{ \"Folder\": \"Telemetry\", \"NodeList\": [ { \"NodeId\": \"Mine\" } ] }");
        var error = Assert.Throws<UserNodesFileException>(() => TestPlc.Create(o => o.NodesFile = file));
        Assert.Contains("folder 'Telemetry' clashes with the PLC's Object 'Telemetry'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FolderWhoseNodeIdIsTaken_IsAnError_NotAnArgumentException()
    {
        // "StepUp" is a variable's NodeId in Telemetry; a user folder elsewhere with that name needs another id, and
        // one whose path id is taken as well is reported with the file's name.
        var file = WriteFile("{ \"Folder\": \"Mine\", \"NodeList\": [ { \"NodeId\": \"Mine/StepUp\" } ], \"FolderList\": [ { \"Folder\": \"StepUp\", \"NodeList\": [] } ] }");
        var error = Assert.Throws<UserNodesFileException>(() => TestPlc.Create(o => o.NodesFile = file));
        Assert.Contains($"{file}: folder 'Mine/StepUp' would get NodeId nsu=http://microsoft.com/Opc/OpcPlc/;s=Mine/StepUp, already used by Variable", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task FolderClash_StopsTheAppAtStart_ThroughTheOptionsValidation()
    {
        var file = WriteFile("{ \"Folder\": \"Methods\", \"NodeList\": [ { \"NodeId\": \"X\" } ] }");
        var error = await Assert.ThrowsAnyAsync<Exception>(() => PlcApp.StartAsync("--nf", file));
        Assert.Contains("OpcPlc:NodesFile (--nf):", error.Message, StringComparison.Ordinal);
        Assert.Contains("folder 'Methods' clashes", error.Message, StringComparison.Ordinal);
    }
}
