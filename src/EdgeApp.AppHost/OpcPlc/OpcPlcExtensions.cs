using EdgeApp.AppHost.Hosting;
using Microsoft.Extensions.Configuration;

namespace EdgeApp.AppHost.OpcPlc;

public static class OpcPlcExtensions
{
    /// <summary>The opc.tcp endpoint's name: reference it with <c>GetEndpoint(OpcPlcExtensions.OpcTcpEndpoint)</c>.</summary>
    public const string OpcTcpEndpoint = "opc-tcp";

    /// <summary>OPC PLC's port, used in a container; locally a free port is allocated.</summary>
    public const int OpcTcpPort = 50000;

    /// <summary>
    /// The OPC PLC-compatible simulator: opc.tcp on <see cref="OpcTcpPort"/> in a container (a free port locally, not
    /// proxied, so the URL the server advertises is the one clients dial), its host name in EndpointUrl and pn.json,
    /// ready when the OPC UA server listens. Settings under "EdgeApp:OpcPlc" become its "OpcPlc" settings
    /// (<c>EdgeApp:OpcPlc:Fast:Count=10000</c> -> <c>OpcPlc__Fast__Count</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddOpcPlc(this IDistributedApplicationBuilder builder, string name, EdgeAppHostSettings settings)
    {
        var plc = builder.AddProject<Projects.EdgeApp_OpcPlc>(name)
            .WithEndpoint(
                targetPort: settings.IsPublishMode ? OpcTcpPort : null,
                scheme: "opc.tcp",
                name: OpcTcpEndpoint,
                env: "OpcPlc__Port",
                isProxied: false)
            .WithHttpHealthCheck("/health");

        var endpoint = plc.GetEndpoint(OpcTcpEndpoint);
        plc.WithEnvironment("OpcPlc__Hostname", endpoint.Property(EndpointProperty.Host));
        foreach (var setting in builder.Configuration.GetSection("EdgeApp:OpcPlc").AsEnumerable(true))
        {
            if (setting.Value is not null)
            {
                plc.WithEnvironment("OpcPlc__" + setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value);
            }
        }

        return plc;
    }
}
