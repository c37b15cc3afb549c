using System.Net;
using System.Text.Json;
using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;
using EdgeApp.Tests.Infrastructure;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>The app as it runs: health, /pn.json and the file, and an OPC UA client over loopback TCP.</summary>
public sealed class PlcAppTests
{
    [Fact]
    public async Task Health_IsReadyWhenTheServerListens_AndAliveAnswers()
    {
        await using var app = await PlcApp.StartAsync();

        var health = await app.Http.GetAsync("/health");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
        Assert.Equal(HttpStatusCode.OK, (await app.Http.GetAsync("/alive")).StatusCode);
    }

    [Fact]
    public async Task PnJson_IsServedOverHttp_AndWrittenWithSph()
    {
        var path = Path.Combine(Path.GetTempPath(), $"opcplc-{Guid.NewGuid():N}", "pn.json");
        await using var app = await PlcApp.StartAsync("--sph", "--spf", path, "--sn=2", "--sr=5", "--fsi=200");

        var response = await app.Http.GetAsync("/pn.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var served = await response.Content.ReadAsByteArrayAsync();
        var endpoint = JsonDocument.Parse(served).RootElement[0];
        Assert.Equal($"opc.tcp://localhost:{app.Plc.Server.Port}", endpoint.GetProperty("EndpointUrl").GetString());
        var ids = endpoint.GetProperty("OpcNodes").EnumerateArray().Select(n => n.GetProperty("Id").GetString()).ToList();
        Assert.Contains("nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp", ids);
        Assert.Contains("nsu=http://microsoft.com/Opc/OpcPlc/;s=SlowUInt2", ids);

        await Eventually.TrueAsync(() => File.Exists(path), TimeSpan.FromSeconds(10), "pn.json is written");
        Assert.Equal(served, await File.ReadAllBytesAsync(path));
    }

    [Fact]
    public async Task Client_BrowsesAndReadsThePlc_OverLoopbackTcp()
    {
        await using var app = await PlcApp.StartAsync("--ct=50", "--fn=10", "--vfr=100");
        await using var client = await app.ConnectAsync();

        var namespaces = await client.GetNamespacesAsync();
        Assert.Equal(PlcNamespaces.OpcPlc, namespaces[3]);
        Assert.Equal(PlcNamespaces.Boiler, namespaces[4]);

        // Browse down from Objects the way a generic client does.
        var plcFolder = (await client.BrowseAllAsync(ObjectIds.ObjectsFolder)).Single(r => r.BrowseName.Name == "OpcPlc").NodeId.NodeId;
        var telemetry = (await client.BrowseAllAsync(plcFolder)).Single(r => r.BrowseName.Name == "Telemetry").NodeId.NodeId;
        var basic = (await client.BrowseAllAsync(telemetry)).Single(r => r.BrowseName.Name == "Basic").NodeId.NodeId;
        var stepUp = (await client.BrowseAllAsync(basic)).Single(r => r.BrowseName.Name == "StepUp").NodeId.NodeId;
        Assert.Equal(NodeId.Parse("ns=3;s=StepUp"), stepUp);

        var first = await client.ReadAsync(stepUp);
        await Eventually.TrueAsync(async () => (await client.ReadAsync(stepUp)).Value.Get<uint>() >= first.Value.Get<uint>() + 3,
            TimeSpan.FromSeconds(10), "StepUp counts up every 50 ms cycle");

        var fast = Enumerable.Range(1, 10).Select(i => new ReadValueId { NodeId = NodeId.Parse($"ns=3;s=FastUInt{i}"), AttributeId = AttributeId.Value }).ToArray();
        var before = await client.ReadAsync(fast);
        await Eventually.TrueAsync(async () => (await client.ReadAsync(fast)).Zip(before).All(p => p.First.Value.Get<uint>() > p.Second.Value.Get<uint>()),
            TimeSpan.FromSeconds(10), "every fast node changes at the very fast rate");
        Assert.All(await client.ReadAsync(fast), v => Assert.True(v.StatusCode.IsGood));

        await client.CallAsync(NodeId.Parse("ns=3;s=Methods"), NodeId.Parse("ns=4;s=HeaterOff"));
        Assert.Equal((int)BoilerHeaterState.Off, (await client.ReadAsync(NodeId.Parse("ns=5;s=BoilerStatus.HeaterState"))).Value.Get<int>());
    }
}
