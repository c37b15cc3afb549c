using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using EdgeApp.AppHost.OpcPlc;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.Tests.Infrastructure;
using EdgeApp.Tests.Integration;

namespace EdgeApp.Tests.AppHost;

/// <summary>The PLC as the AppHost runs it (the shared started app): healthy, reachable on its opc.tcp endpoint, pn.json.</summary>
[Collection(EdgeAppCollection.Name)]
public sealed class OpcPlcAppHostTests(EdgeAppFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(2);

    [Fact]
    public async Task OpcPlc_BecomesHealthy_AndServesOpcUaOnItsEndpoint()
    {
        using var cancellation = new CancellationTokenSource(Timeout);
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("opc-plc", cancellation.Token);

        var endpoint = fixture.App.GetEndpoint("opc-plc", OpcPlcExtensions.OpcTcpEndpoint);
        Assert.Equal("opc.tcp", endpoint.Scheme);
        await using var client = await OpcUaClient.ConnectAsync(endpoint.ToString(), new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(10) })
            .WaitAsync(TimeSpan.FromSeconds(30));
        var stepUp = await client.ResolveAsync(ExpandedNodeId.Parse("nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp"));
        var first = (await client.ReadAsync(stepUp)).Value.Get<uint>();
        await Eventually.TrueAsync(async () => (await client.ReadAsync(stepUp)).Value.Get<uint>() > first, TimeSpan.FromSeconds(10), "StepUp counts");

        using var http = fixture.App.CreateHttpClient("opc-plc", "http");
        using var response = await http.GetAsync("/pn.json").WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var pn = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal($"opc.tcp://localhost:{endpoint.Port}", pn.RootElement[0].GetProperty("EndpointUrl").GetString());
    }
}
