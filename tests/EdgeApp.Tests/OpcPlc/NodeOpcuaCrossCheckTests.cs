using EdgeApp.Tests.OpcUa.Interop;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>An independent client (node-opcua, tests/interop/plc-reader.js) browses and reads the PLC over TCP.</summary>
public sealed class NodeOpcuaCrossCheckTests
{
    [Fact]
    public async Task NodeOpcuaClient_BrowsesTheFastNodes_AndSeesThemChangeAtTheirRate()
    {
        await using var app = await PlcApp.StartAsync("--fn=2000", "--vfr=100");

        var result = await NodeRunner.RunJsonAsync(TimeSpan.FromSeconds(90), "plc-reader.js", $"opc.tcp://127.0.0.1:{app.Plc.Server.Port}", "2000", "2");

        Assert.True(result.GetProperty("ok").GetBoolean(), result.ToString());
        Assert.Equal(3, result.GetProperty("namespaceIndex").GetInt32());
        Assert.Equal(2001, result.GetProperty("browsed").GetInt32()); // FastUInt1..2000 and BadFastUInt1
        Assert.Equal(2000, result.GetProperty("good").GetInt32());
        var basic = result.GetProperty("basic").EnumerateArray().ToList();
        Assert.All(basic, v => Assert.Equal("Good", v.GetProperty("status").GetString()));

        // ~2 s at 100 ms between the two reads, measured from the start of the first read: about 20 updates each.
        var elapsedTicks = result.GetProperty("elapsedMs").GetDouble() / 100;
        Assert.InRange(result.GetProperty("meanDelta").GetDouble(), elapsedTicks * 0.5, elapsedTicks + 2);
        Assert.True(result.GetProperty("minDelta").GetDouble() >= 1, "every node changed");
        Assert.True(result.GetProperty("maxDelta").GetDouble() - result.GetProperty("minDelta").GetDouble() <= 2,
            "one tick updates every node of the set, so deltas differ at most by a tick landing inside each of the two reads");
    }
}
