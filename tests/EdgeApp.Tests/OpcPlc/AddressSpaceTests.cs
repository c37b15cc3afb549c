using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>OPC PLC's names, NodeIds, namespaces, folders and data types, as clients see them.</summary>
public sealed class AddressSpaceTests
{
    [Fact]
    public void Namespaces_HaveOpcPlcsIndexes()
    {
        using var plc = TestPlc.Create();
        var namespaces = plc.Plc.Server.AddressSpace.Namespaces;

        Assert.Equal("urn:OpcPlc:localhost", namespaces[1]);
        Assert.Equal(PlcNamespaces.OpcPlc, namespaces[3]);
        Assert.Equal("http://microsoft.com/Opc/OpcPlc/", namespaces[3]);
        Assert.Equal(PlcNamespaces.Boiler, namespaces[4]);
        Assert.Equal(3, plc.Ns);
    }

    public static TheoryData<string, uint, int, AccessLevel> SimulatedVariables => new()
    {
        { "StepUp", (uint)BuiltInType.UInt32, -1, AccessLevel.CurrentRead | AccessLevel.CurrentWrite },
        { "AlternatingBoolean", (uint)BuiltInType.Boolean, -1, AccessLevel.CurrentRead },
        { "RandomSignedInt32", (uint)BuiltInType.Int32, -1, AccessLevel.CurrentRead },
        { "RandomUnsignedInt32", (uint)BuiltInType.UInt32, -1, AccessLevel.CurrentRead },
        { "SpikeData", (uint)BuiltInType.Double, -1, AccessLevel.CurrentRead },
        { "DipData", (uint)BuiltInType.Double, -1, AccessLevel.CurrentRead },
        { "PositiveTrendData", (uint)BuiltInType.Double, -1, AccessLevel.CurrentRead },
        { "NegativeTrendData", (uint)BuiltInType.Double, -1, AccessLevel.CurrentRead },
        { "SlowUInt1", (uint)BuiltInType.UInt32, -1, AccessLevel.CurrentRead | AccessLevel.CurrentWrite },
        { "BadSlowUInt1", (uint)BuiltInType.UInt32, -1, AccessLevel.CurrentRead | AccessLevel.CurrentWrite },
        { "FastUInt1", (uint)BuiltInType.UInt32, -1, AccessLevel.CurrentRead | AccessLevel.CurrentWrite },
        { "BadFastUInt1", (uint)BuiltInType.UInt32, -1, AccessLevel.CurrentRead | AccessLevel.CurrentWrite },
        { "SlowNumberOfUpdates", (uint)BuiltInType.Int32, -1, AccessLevel.CurrentRead | AccessLevel.CurrentWrite },
        { "FastNumberOfUpdates", (uint)BuiltInType.Int32, -1, AccessLevel.CurrentRead | AccessLevel.CurrentWrite },
    };

    [Theory]
    [MemberData(nameof(SimulatedVariables))]
    public async Task Variable_HasOpcPlcsStringNodeId_DataType_AndAccess(string name, uint dataType, int valueRank, AccessLevel access)
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();
        var id = new ExpandedNodeId(new NodeId(name, 0), PlcNamespaces.OpcPlc);
        var nodeId = await client.ResolveAsync(id);

        Assert.Equal(new NodeId(name, 3), nodeId);
        var read = await client.ReadAsync(
        [
            new ReadValueId { NodeId = nodeId, AttributeId = AttributeId.BrowseName },
            new ReadValueId { NodeId = nodeId, AttributeId = AttributeId.DataType },
            new ReadValueId { NodeId = nodeId, AttributeId = AttributeId.ValueRank },
            new ReadValueId { NodeId = nodeId, AttributeId = AttributeId.AccessLevel },
            new ReadValueId { NodeId = nodeId, AttributeId = AttributeId.Value },
        ]);
        Assert.Equal(new QualifiedName(3, name), read[0].Value.Get<QualifiedName>());
        Assert.Equal(new NodeId(dataType), read[1].Value.Get<NodeId>());
        Assert.Equal(valueRank, read[2].Value.Get<int>());
        Assert.Equal((byte)access, read[3].Value.Value);
        Assert.Equal((BuiltInType)dataType, read[4].Value.Type);
    }

    [Fact]
    public async Task Folders_AreOpcPlcsTree()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();

        Assert.Contains("OpcPlc", await BrowseNames(client, ObjectIds.ObjectsFolder));
        Assert.Contains("Boiler #1", await BrowseNames(client, ObjectIds.ObjectsFolder));
        Assert.Equal(["Methods", "SimulatorConfiguration", "Telemetry"], (await BrowseNames(client, plc.Id("OpcPlc"))).Order());
        Assert.Equal(["Anomaly", "Basic", "Fast", "Slow"], (await BrowseNames(client, plc.Id("Telemetry"))).Order());
        Assert.Equal(["AlternatingBoolean", "RandomSignedInt32", "RandomUnsignedInt32", "StepUp"], (await BrowseNames(client, plc.Id("Basic"))).Order());
        Assert.Equal(["DipData", "NegativeTrendData", "PositiveTrendData", "SpikeData"], (await BrowseNames(client, plc.Id("Anomaly"))).Order());
        Assert.Equal(["BadSlowUInt1", "SlowUInt1"], (await BrowseNames(client, plc.Id("Slow"))).Order());
        Assert.Equal(["FastNumberOfUpdates", "SlowNumberOfUpdates"], (await BrowseNames(client, plc.Id("SimulatorConfiguration"))).Order());
        Assert.Equal(
            ["HeaterOff", "HeaterOn", "ResetNegTrend", "ResetPosTrend", "ResetStepUp", "ResetTrend", "StartStepUp", "StartUpdateFastNodes",
             "StartUpdateSlowNodes", "StopStepUp", "StopUpdateFastNodes", "StopUpdateSlowNodes"],
            (await BrowseNames(client, plc.Id("Methods"))).Order());
    }

    [Fact]
    public async Task NodeCounts_And_Types_FollowTheOptions()
    {
        await using var plc = TestPlc.Create(o =>
        {
            o.Slow.Count = 3;
            o.Slow.Type = EdgeApp.OpcPlc.Configuration.SlowFastType.Double;
            o.Fast.Count = 250;
            o.Fast.Type = EdgeApp.OpcPlc.Configuration.SlowFastType.UIntArray;
        });
        await using var client = await plc.ConnectAsync();

        Assert.Equal(["BadSlowDouble1", "SlowDouble1", "SlowDouble2", "SlowDouble3"], (await BrowseNames(client, plc.Id("Slow"))).Order());
        var fast = await BrowseNames(client, plc.Id("Fast"));
        Assert.Equal(251, fast.Count);
        Assert.Contains("FastUIntArray250", fast);
        Assert.Contains("BadFastUIntArray1", fast);
        Assert.Equal((uint)BuiltInType.Double, (await client.ReadAsync(plc.Id("SlowDouble2"), AttributeId.DataType)).Value.Get<NodeId>().NumericId);
        Assert.Equal(1, (await client.ReadAsync(plc.Id("FastUIntArray7"), AttributeId.ValueRank)).Value.Get<int>());
        Assert.Equal(new uint[] { 32 }, (await client.ReadAsync(plc.Id("FastUIntArray7"), AttributeId.ArrayDimensions)).Value.Get<uint[]>());
        Assert.Equal(32, (await client.ReadAsync(plc.Id("FastUIntArray7"))).Value.Get<uint[]>().Length);
    }

    [Fact]
    public void SwitchedOffFamilies_HaveNoNodes()
    {
        using var plc = TestPlc.Create(o =>
        {
            o.DataValues = false;
            o.Spikes = false;
            o.Dips = false;
            o.PositiveTrend = false;
            o.NegativeTrend = true;
        });
        var nodes = plc.Plc.Server.AddressSpace;

        Assert.Null(nodes.Find(plc.Id("StepUp")));
        Assert.Null(nodes.Find(plc.Id("ResetStepUp")));
        Assert.Null(nodes.Find(plc.Id("SpikeData")));
        Assert.Null(nodes.Find(plc.Id("DipData")));
        Assert.Null(nodes.Find(plc.Id("PositiveTrendData")));
        Assert.NotNull(nodes.Find(plc.Id("NegativeTrendData")));
        Assert.NotNull(nodes.Find(plc.Id("ResetTrend")));
        Assert.Null(plc.Plc.Basic);

        using var none = TestPlc.Create(o => o.Spikes = o.Dips = o.PositiveTrend = o.NegativeTrend = false);
        Assert.Null(none.Plc.Anomaly);
        Assert.Null(none.Plc.Server.AddressSpace.Find(none.Id("ResetTrend")));
    }

    private static async Task<List<string>> BrowseNames(EdgeApp.OpcUa.Client.OpcUaClient client, NodeId node) =>
        [.. (await client.BrowseAllAsync(node)).Where(r => r.ReferenceTypeId != ReferenceTypeIds.HasTypeDefinition).Select(r => r.BrowseName.Name!)];
}
