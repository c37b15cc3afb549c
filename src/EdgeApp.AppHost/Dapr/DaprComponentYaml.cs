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

    /// <summary>
    /// A Resiliency that retries deliveries to the app without limit: since Dapr 1.17 pubsub.redis acknowledges a
    /// message the app answered RETRY unless such a policy applies, which would lose what the gateway could not store.
    /// </summary>
    public static string InboundRetry(string component) => $"""
        apiVersion: dapr.io/v1alpha1
        kind: Resiliency
        metadata:
          name: "edgeapp-resiliency"
        spec:
          policies:
            retries:
              pubsubInbound:
                policy: exponential
                duration: 1s
                maxInterval: 60s
                maxRetries: -1
          targets:
            components:
              {JsonSerializer.Serialize(component)}:
                inbound:
                  retry: pubsubInbound

        """;
}
