using System.Text;
using System.Text.Json;

namespace EdgeApp.AppHost.Dapr;

/// <summary>Writes a Dapr Component as YAML; values are JSON-quoted, which YAML reads as double-quoted scalars.</summary>
public static class DaprComponentYaml
{
    public static string Write(string name, string type, string version, IEnumerable<KeyValuePair<string, string>> metadata)
    {
        var yaml = new StringBuilder()
            .Append("apiVersion: dapr.io/v1alpha1\n")
            .Append("kind: Component\n")
            .Append("metadata:\n")
            .Append("  name: ").Append(JsonSerializer.Serialize(name)).Append('\n')
            .Append("spec:\n")
            .Append("  type: ").Append(JsonSerializer.Serialize(type)).Append('\n')
            .Append("  version: ").Append(JsonSerializer.Serialize(version)).Append('\n')
            .Append("  metadata:\n");
        foreach (var (key, value) in metadata)
        {
            yaml.Append("  - name: ").Append(JsonSerializer.Serialize(key)).Append('\n')
                .Append("    value: ").Append(JsonSerializer.Serialize(value)).Append('\n');
        }

        return yaml.ToString();
    }
}
