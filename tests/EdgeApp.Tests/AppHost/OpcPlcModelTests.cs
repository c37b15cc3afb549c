using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using EdgeApp.AppHost.OpcPlc;

namespace EdgeApp.Tests.AppHost;

/// <summary>The AppHost composes the PLC simulator: a project with an opc.tcp endpoint, a readiness check and its settings.</summary>
public class OpcPlcModelTests
{
    [Fact]
    public async Task Model_HasOpcPlc_WithAnOpcTcpEndpoint_AndAHealthCheck()
    {
        await using var builder = await CreateAsync();

        var plc = Assert.IsType<ProjectResource>(builder.Resources.Single(r => r.Name == "opc-plc"));
        var endpoints = plc.Annotations.OfType<EndpointAnnotation>().ToDictionary(e => e.Name);
        var opcTcp = endpoints[OpcPlcExtensions.OpcTcpEndpoint];
        Assert.Equal("opc.tcp", opcTcp.UriScheme);
        Assert.Equal("tcp", opcTcp.Transport);
        Assert.False(opcTcp.IsProxied, "clients dial the port the server advertises");
        Assert.Null(opcTcp.TargetPort); // a free port locally
        Assert.True(endpoints.ContainsKey("http"), "an http endpoint for /health and /pn.json");
        Assert.Contains(plc.Annotations.OfType<HealthCheckAnnotation>(), _ => true);

        var env = await EnvironmentOf(plc);
        var port = Assert.IsType<EndpointReferenceExpression>(env["OpcPlc__Port"]);
        Assert.Equal((OpcPlcExtensions.OpcTcpEndpoint, EndpointProperty.TargetPort), (port.Endpoint.EndpointName, port.Property));
        var host = Assert.IsType<EndpointReferenceExpression>(env["OpcPlc__Hostname"]);
        Assert.Equal(OpcPlcExtensions.OpcTcpEndpoint, host.Endpoint.EndpointName);
        Assert.Equal(EndpointProperty.Host, host.Property);
    }

    [Fact]
    public async Task Publish_ListensOnOpcPlcsPort50000()
    {
        var output = Path.Combine(Path.GetTempPath(), "edgeapp-manifest-" + Guid.NewGuid().ToString("N"));
        await using var builder = await CreateAsync("--publisher", "manifest", "--output-path", Path.Combine(output, "aspire-manifest.json"));

        var plc = builder.Resources.Single(r => r.Name == "opc-plc");
        Assert.Equal(50000, plc.Annotations.OfType<EndpointAnnotation>().Single(e => e.Name == OpcPlcExtensions.OpcTcpEndpoint).TargetPort);
    }

    [Fact]
    public async Task AppHostSettings_UnderEdgeAppOpcPlc_BecomeThePlcsSettings()
    {
        await using var builder = await CreateAsync("EdgeApp:OpcPlc:Fast:Count=10000", "EdgeApp:OpcPlc:Fast:RateMs=100");

        var env = await EnvironmentOf(builder.Resources.Single(r => r.Name == "opc-plc"));
        Assert.Equal("10000", env["OpcPlc__Fast__Count"]);
        Assert.Equal("100", env["OpcPlc__Fast__RateMs"]);
    }

    private static async Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.EdgeApp_AppHost>(
        [
            .. args,
            "EdgeApp:ContainerRuntime=off",
            "EdgeApp:Dapr=off",
            $"EdgeApp:DataDirectory={Path.Combine(Path.GetTempPath(), "edgeapp-model-" + Guid.NewGuid().ToString("N"))}",
        ]);

    private static async Task<Dictionary<string, object>> EnvironmentOf(IResource resource)
    {
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value);
    }
}
