using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>Boiler #1: OPC PLC's NodeIds and types, its physics per second, the heater methods, the structure on the wire.</summary>
public sealed class BoilerTests
{
    [Fact]
    public void HeaterOn_HeatsOneDegreePerSecond_TopFiveBelow_PressureFollows()
    {
        using var plc = TestPlc.Create();
        var boiler = plc.Plc.Boiler!;
        Assert.Equal(new BoilerStatus(20, 20, 100_020, BoilerHeaterState.On, plc.BoilerNs), boiler.Current);

        TestPlc.Tick(boiler, 10);

        Assert.Equal(new BoilerStatus(25, 30, 100_030, BoilerHeaterState.On, plc.BoilerNs), boiler.Current);
        Assert.Equal(30, boiler.Bottom.Value);
        Assert.Equal(25, boiler.Top.Value);
        Assert.Equal(100_030, boiler.Pressure.Value);
        Assert.Equal(boiler.Period, TimeSpan.FromSeconds(1));
    }

    [Fact]
    public async Task HeaterOff_CoolsDownToTwentyDegrees_AndHeaterOnHeatsAgain()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();
        var boiler = plc.Plc.Boiler!;
        TestPlc.Tick(boiler, 3);

        await client.CallAsync(plc.MethodsFolder, new NodeId("HeaterOff", plc.BoilerNs));
        Assert.Equal((int)BoilerHeaterState.Off, boiler.HeaterState.ReadValue().Value.Get<int>());
        var bottoms = new List<int>();
        for (var i = 0; i < 5; i++)
        {
            TestPlc.Tick(boiler);
            bottoms.Add(boiler.Current.Bottom);
        }

        Assert.Equal([22, 21, 20, 20, 20], bottoms);
        Assert.Equal(20, boiler.Current.Top);
        Assert.Equal(100_020, boiler.Current.Pressure);

        await client.CallAsync(plc.MethodsFolder, new NodeId("HeaterOn", plc.BoilerNs));
        TestPlc.Tick(boiler);
        Assert.Equal(21, boiler.Current.Bottom);
    }

    [Fact]
    public async Task BoilerStatus_IsABoilerDataTypeStructure_ReadableByClients()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();
        TestPlc.Tick(plc.Plc.Boiler!, 7);

        var statusId = await client.ResolveAsync(new ExpandedNodeId(new NodeId(15013u), PlcNamespaces.Boiler));
        Assert.Equal(new NodeId(15013u, 4), statusId);
        var value = (await client.ReadAsync(statusId)).Value;
        var structure = value.Get<ExtensionObject>();
        Assert.Equal(new NodeId(15072u, 4), structure.TypeId);
        var body = Assert.IsType<byte[]>(structure.Body);
        Assert.Equal(16, body.Length);
        Assert.Equal(new BoilerStatus(22, 27, 100_027, BoilerHeaterState.On, 4), BoilerStatus.Decode(body, 4));

        Assert.Equal(new NodeId(15032u, 4), (await client.ReadAsync(statusId, AttributeId.DataType)).Value.Get<NodeId>());
        var boiler = (await client.BrowseAllAsync(ObjectIds.ObjectsFolder)).Single(r => r.BrowseName.Name == "Boiler #1");
        Assert.Equal(new NodeId(15070u, 4), boiler.NodeId.NodeId);
        Assert.Equal(new NodeId(15068u, 4), boiler.TypeDefinition.NodeId);

        var components = await client.BrowseAllAsync(statusId);
        Assert.Equal(["HeaterState", "Pressure", "Temperature.Bottom", "Temperature.Top"], components.Select(c => c.BrowseName.Name).Order());
    }

    [Fact]
    public async Task BoilerTypes_AreSubtypesOfStructureAndEnumeration_WithEncodings()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();

        var structures = await client.BrowseAllAsync(DataTypeIds.Structure, ReferenceTypeIds.HasSubtype);
        Assert.Contains(structures, r => r.NodeId.NodeId == new NodeId(15032u, 4) && r.BrowseName.Name == "BoilerDataType");
        Assert.Contains(structures, r => r.NodeId.NodeId == new NodeId(15001u, 4) && r.BrowseName.Name == "BoilerTemperatureType");
        var encodings = await client.BrowseAllAsync(new NodeId(15032u, 4), ReferenceTypeIds.HasEncoding);
        Assert.Equal(new NodeId(15072u, 4), Assert.Single(encodings).NodeId.NodeId);
        var enumStrings = (await client.ReadAsync(new NodeId(15015u, 4))).Value.Get<LocalizedText[]>();
        Assert.Equal(["Off", "On"], enumStrings.Select(t => t.Text));
    }
}
