using EdgeApp.AppHost.Hosting;
using EdgeApp.AppHost.OpcPlc;
using Microsoft.Extensions.Configuration;

namespace EdgeApp.AppHost.OpcPublisher;

public static class OpcPublisherExtensions
{
    /// <summary>
    /// The OPC Publisher-compatible publisher reading <paramref name="plc"/>: its published nodes come from the PLC's
    /// <c>/pn.json</c> (fetched again every 30 s), or from a user's file when <c>EdgeApp:OpcPublisher:PublishedNodesFile</c>
    /// is set. It references the PLC's opc.tcp endpoint (so deployments allow that connection), waits for the PLC and
    /// keeps its spool under the data directory. Other settings under "EdgeApp:OpcPublisher" become its "OpcPublisher"
    /// settings (<c>EdgeApp:OpcPublisher:MessagingMode=Samples</c> -> <c>OpcPublisher__MessagingMode</c>).
    /// </summary>
    public static IResourceBuilder<ProjectResource> AddOpcPublisher(
        this IDistributedApplicationBuilder builder, string name, EdgeAppHostSettings settings, IResourceBuilder<ProjectResource> plc)
    {
        var publisher = builder.AddProject<Projects.EdgeApp_OpcPublisher>(name)
            .WithEnvironment("Spool__Directory", settings.DataPath("opc-publisher/spool"))
            .WithEnvironment("OpcPublisher__PublisherId", name)
            // Two glibc malloc arenas instead of one per thread: the publisher's native memory grew in steps with
            // more arenas and stayed flat with two, at 100,000 values/s (bench/README.md, OpcPublisher soak).
            .WithEnvironment("MALLOC_ARENA_MAX", "2")
            .WithReference(plc.GetEndpoint(OpcPlcExtensions.OpcTcpEndpoint))
            .WaitFor(plc)
            .WithHttpHealthCheck("/health");

        var section = builder.Configuration.GetSection("EdgeApp:OpcPublisher");
        if (section["PublishedNodesFile"] is { Length: > 0 } file)
        {
            publisher.WithEnvironment("OpcPublisher__PublishedNodesFile", settings.IsPublishMode ? file : Path.GetFullPath(file, builder.AppHostDirectory));
        }
        else
        {
            var http = plc.GetEndpoint("http");
            publisher.WithEnvironment("OpcPublisher__PublishedNodesUrl", ReferenceExpression.Create($"{http}/pn.json"));
        }

        foreach (var setting in section.AsEnumerable(true))
        {
            if (setting.Value is not null && setting.Key != "PublishedNodesFile")
            {
                publisher.WithEnvironment("OpcPublisher__" + setting.Key.Replace(":", "__", StringComparison.Ordinal), setting.Value);
            }
        }

        return publisher;
    }
}
