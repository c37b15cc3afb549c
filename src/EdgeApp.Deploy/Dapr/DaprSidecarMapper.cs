using System.Text.Json.Nodes;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Dapr;

/// <summary>Maps a <c>dapr.v0</c> resource to the sidecar it describes; the workload mapper puts it on the pod.</summary>
public static class DaprSidecarMapper
{
    public const string DefaultConfiguration = "tracing";

    public static DaprSidecar Map(ManifestResource resource, AspireManifest manifest)
    {
        var body = resource.GetObject("dapr") ?? throw new DeployException(resource.Name, "dapr", "missing");
        var application = resource.ReadString(body["application"], "dapr.application")
            ?? throw new DeployException(resource.Name, "dapr.application", "missing: the resource the sidecar belongs to");
        var target = manifest.Find(application)
            ?? throw new DeployException(resource.Name, "dapr.application", $"names '{application}', which the manifest does not contain");
        if (target.Type is not (ResourceTypes.ProjectV0 or ResourceTypes.ProjectV1 or ResourceTypes.ContainerV0 or ResourceTypes.ContainerV1))
        {
            throw new DeployException(resource.Name, "dapr.application", $"names '{application}' ({target.Type}), which is not a project or container");
        }

        var components = resource.GetStringList("components", body);
        foreach (var component in components)
        {
            if (manifest.Find(component) is not { Type: ResourceTypes.DaprComponentV0 })
            {
                throw new DeployException(resource.Name, "dapr.components", $"names '{component}', which is not a dapr.component.v0 resource");
            }
        }

        return new DaprSidecar(
            resource.Name,
            application,
            resource.ReadString(body["appId"], "dapr.appId") ?? application,
            components,
            ManifestResource.ReadInt(body["appPort"]),
            resource.ReadString(body["appProtocol"], "dapr.appProtocol"),
            // Without a named configuration the sidecar would get no tracing; use the conventional one.
            resource.ReadString(body["config"], "dapr.config") ?? DefaultConfiguration,
            ManifestResource.ReadBool(body["enableMetrics"]) ?? false,
            ManifestResource.ReadBool(body["logAsJson"]) ?? false,
            resource.ReadString(body["logLevel"], "dapr.logLevel"),
            ManifestResource.ReadBool(body["enableApiLogging"]),
            ManifestResource.ReadInt(body["appMaxConcurrency"]),
            Optional(resource, body, "appHealthCheckPath"));
    }

    private static string? Optional(ManifestResource resource, JsonObject body, string field) =>
        resource.ReadString(body[field], $"dapr.{field}");
}
