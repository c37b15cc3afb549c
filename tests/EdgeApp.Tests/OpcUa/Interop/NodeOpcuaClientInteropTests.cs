namespace EdgeApp.Tests.OpcUa.Interop;

/// <summary>Interop (a): the node-opcua client against the EdgeApp server.</summary>
public sealed class NodeOpcuaClientInteropTests
{
    [Fact]
    public async Task NodeOpcuaClient_BrowsesReadsWritesAndCalls_OnEdgeAppServer()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var result = await NodeRunner.RunJsonAsync(TimeSpan.FromSeconds(90), "client.js", server.EndpointUrl, TestServer.Namespace);

        NodeRunner.AssertAllStepsOk(result,
            "connect", "getEndpoints", "findServers", "createSession", "browseObjectsRecursively", "readEveryVariable",
            "write", "writeArray", "callMethod", "readMethodArguments", "translateBrowsePath", "registerNodes", "closeSession");
        Assert.True(result.GetProperty("variables").GetInt32() >= 40, $"found only {result.GetProperty("variables")} variables");
        Assert.Equal(1234, server.Counter.Value);
    }
}
