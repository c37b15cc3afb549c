using System.Text.Json.Nodes;
using EdgeApp.Deploy.Diagnostics;

namespace EdgeApp.Deploy.Manifest;

/// <summary>A named volume of a container resource (<c>volumes[]</c>).</summary>
public sealed record ManifestVolume(string Name, string Target, bool ReadOnly)
{
    public static ManifestVolume From(string resource, int index, JsonObject body)
    {
        var target = body["target"]?.GetValue<string>()
            ?? throw new DeployException(resource, $"volumes[{index}].target", "missing");
        var name = body["name"]?.GetValue<string>() ?? $"{resource}-volume-{index}";
        return new ManifestVolume(name, target, ManifestResource.ReadBool(body["readOnly"]) ?? false);
    }
}
