using System.Text.Json;
using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcPlc.PublishedNodes;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>pn.json in OPC PLC's layout, listing everything simulated, with OPC PLC's interval rules.</summary>
public sealed class PublishedNodesTests
{
    private static JsonElement Parse(byte[] json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void File_ListsEveryFamily_WithOpcPlcsIdsAndIntervals()
    {
        using var plc = TestPlc.Create(o =>
        {
            o.Slow.Count = 2;
            o.Slow.RateMs = 5000;
            o.Fast.Count = 3;
            o.Fast.SamplingIntervalMs = 200;
        });
        var root = Parse(plc.Plc.PublishedNodesJson());

        var endpoint = Assert.Single(root.EnumerateArray().ToList());
        Assert.Equal($"opc.tcp://localhost:{plc.Plc.Server.Port}", endpoint.GetProperty("EndpointUrl").GetString());
        Assert.False(endpoint.GetProperty("UseSecurity").GetBoolean());
        var nodes = endpoint.GetProperty("OpcNodes").EnumerateArray().ToDictionary(n => n.GetProperty("Id").GetString()!);

        const string ns = "nsu=http://microsoft.com/Opc/OpcPlc/;s=";
        string[] expected =
        [
            "StepUp", "AlternatingBoolean", "RandomSignedInt32", "RandomUnsignedInt32", "SpikeData", "DipData", "PositiveTrendData",
            "NegativeTrendData", "SlowUInt1", "SlowUInt2", "BadSlowUInt1", "FastUInt1", "FastUInt2", "FastUInt3", "BadFastUInt1",
        ];
        Assert.Equal([.. expected.Select(e => ns + e), "nsu=http://microsoft.com/Opc/OpcPlc/Boiler;i=15013"], nodes.Keys);

        // Basic nodes: no intervals. Slow: publishing interval = rate. Fast at 1000 ms: left out (the default), sampling kept.
        Assert.Equal(["Id"], nodes[ns + "StepUp"].EnumerateObject().Select(p => p.Name));
        Assert.Equal(5000, nodes[ns + "SlowUInt2"].GetProperty("OpcPublishingInterval").GetInt32());
        Assert.Equal(5000, nodes[ns + "BadSlowUInt1"].GetProperty("OpcPublishingInterval").GetInt32());
        Assert.False(nodes[ns + "SlowUInt1"].TryGetProperty("OpcSamplingInterval", out _));
        Assert.False(nodes[ns + "FastUInt1"].TryGetProperty("OpcPublishingInterval", out _));
        Assert.Equal(200, nodes[ns + "FastUInt1"].GetProperty("OpcSamplingInterval").GetInt32());
    }

    [Fact]
    public void File_LeavesOutSwitchedOffFamilies_AndUsesTheConfiguredHostAndPath()
    {
        using var plc = TestPlc.Create(o =>
        {
            o.DataValues = false;
            o.Spikes = o.Dips = o.PositiveTrend = o.NegativeTrend = false;
            o.Boiler = false;
            o.Hostname = "plc.factory.local";
            o.Path = "/UA/Plc";
            o.Fast.RateMs = 100;
        });
        var endpoint = Parse(plc.Plc.PublishedNodesJson())[0];

        Assert.Equal($"opc.tcp://plc.factory.local:{plc.Plc.Server.Port}/UA/Plc", endpoint.GetProperty("EndpointUrl").GetString());
        var nodes = endpoint.GetProperty("OpcNodes").EnumerateArray().ToList();
        Assert.Equal(["SlowUInt1", "BadSlowUInt1", "FastUInt1", "BadFastUInt1"], nodes.Select(n => n.GetProperty("Id").GetString()!.Split(";s=")[1]));
        Assert.Equal(100, nodes[2].GetProperty("OpcPublishingInterval").GetInt32());
    }

    [Fact]
    public void Ids_AreEscapedJson_AndKeepSpecialCharacters()
    {
        var json = PublishedNodesFile.ToJsonText("opc.tcp://h:1", [new PublishedNode("nsu=http://x/;s=Quote\"Back\\slash;äö", 1000, 0)]);
        var node = JsonDocument.Parse(json).RootElement[0].GetProperty("OpcNodes")[0];

        Assert.Equal("nsu=http://x/;s=Quote\"Back\\slash;äö", node.GetProperty("Id").GetString());
        Assert.False(node.TryGetProperty("OpcPublishingInterval", out _));
    }

    [Fact]
    public async Task Write_ReplacesTheFileWhole()
    {
        var path = Path.Combine(Path.GetTempPath(), $"opcplc-{Guid.NewGuid():N}", "pn.json");
        await using var plc = TestPlc.Create(o => o.PublishedNodes.Path = path);

        Assert.Equal(path, await plc.Plc.WritePublishedNodesAsync());
        Assert.Equal(plc.Plc.PublishedNodesJson(), await File.ReadAllBytesAsync(path));
        Assert.False(File.Exists(path + ".tmp"));
    }

    [Fact]
    public async Task Json_IsBuiltOnce_NotPerRequest()
    {
        await using var plc = TestPlc.Create(o => o.Slow.Count = 2);
        var first = plc.Plc.PublishedNodesJson();
        Assert.Same(first, plc.Plc.PublishedNodesJson());
    }
}
