using System.Text.Json.Nodes;

namespace EdgeApp.Deploy.Manifest;

/// <summary>An endpoint a resource declares under <c>bindings</c> (e.g. <c>http</c>, <c>tcp</c>).</summary>
public sealed record ManifestBinding(
    string Name,
    string Scheme,
    string Protocol,
    string Transport,
    int? TargetPort,
    int? Port,
    bool External)
{
    public static ManifestBinding From(string resource, string name, JsonObject? body)
    {
        body ??= [];
        var scheme = body["scheme"]?.GetValue<string>() ?? "tcp";
        return new ManifestBinding(
            name,
            scheme,
            body["protocol"]?.GetValue<string>() ?? "tcp",
            body["transport"]?.GetValue<string>() ?? scheme,
            // Aspire 8+ writes targetPort; older manifests (and Aspirate's docs) say containerPort.
            ManifestResource.ReadInt(body["targetPort"]) ?? ManifestResource.ReadInt(body["containerPort"]),
            ManifestResource.ReadInt(body["port"]),
            ManifestResource.ReadBool(body["external"]) ?? false);
    }
}
