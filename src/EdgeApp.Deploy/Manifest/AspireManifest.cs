using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeApp.Deploy.Diagnostics;

namespace EdgeApp.Deploy.Manifest;

/// <summary>The parsed <c>aspire-manifest.json</c>: resources by name, in the order the AppHost declared them.</summary>
public sealed class AspireManifest
{
    private readonly Dictionary<string, ManifestResource> _byName;

    private AspireManifest(IReadOnlyList<ManifestResource> resources)
    {
        Resources = resources;
        _byName = resources.ToDictionary(r => r.Name, StringComparer.Ordinal);
    }

    public IReadOnlyList<ManifestResource> Resources { get; }

    public ManifestResource? Find(string name) => _byName.GetValueOrDefault(name);

    public IEnumerable<ManifestResource> OfType(params string[] types) =>
        Resources.Where(r => types.Contains(r.Type, StringComparer.Ordinal));

    public static AspireManifest Parse(string json)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new DeployException("(manifest)", "(json)", $"not valid JSON: {e.Message}");
        }

        if (root?["resources"] is not JsonObject resources)
        {
            throw new DeployException("(manifest)", "resources", "missing: an Aspire manifest has a top-level 'resources' object");
        }

        var list = new List<ManifestResource>();
        foreach (var (name, node) in resources)
        {
            if (node is not JsonObject body)
            {
                throw new DeployException(name, "(resource)", "must be a JSON object");
            }

            list.Add(new ManifestResource(name, body));
        }

        return new AspireManifest(list);
    }

    public static AspireManifest Load(string path) => Parse(File.ReadAllText(path));
}
