using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Kubernetes.CustomResources;

/// <summary><c>dapr.io/v1alpha1</c> Component (docs.dapr.io reference/resource-specs/component-schema).</summary>
public sealed class DaprComponent : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiVersionValue = "dapr.io/v1alpha1";
    public const string KindValue = "Component";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public DaprComponentSpecBody Spec { get; set; } = new();

    [JsonPropertyName("scopes")]
    public List<string>? Scopes { get; set; }
}

public sealed class DaprComponentSpecBody
{
    [JsonPropertyName("type")]
    public string Type { get; set; } = "";

    [JsonPropertyName("version")]
    public string Version { get; set; } = "";

    [JsonPropertyName("metadata")]
    public List<DaprMetadataEntry> Metadata { get; set; } = [];
}

public sealed class DaprMetadataEntry
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("value")]
    public string? Value { get; set; }

    [JsonPropertyName("secretKeyRef")]
    public DaprSecretKeyRef? SecretKeyRef { get; set; }
}

public sealed class DaprSecretKeyRef
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("key")]
    public string Key { get; set; } = "";
}
