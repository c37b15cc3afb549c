using System.Text.Json.Serialization;

namespace EdgeApp.Deploy.Kubernetes.CustomResources;

/// <summary>A <c>kustomization.yaml</c> (<c>kustomize.config.k8s.io/v1beta1</c>) with the fields the layout uses.</summary>
public sealed class KustomizeFile
{
    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = "kustomize.config.k8s.io/v1beta1";

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = "Kustomization";

    [JsonPropertyName("namespace")]
    public string? Namespace { get; set; }

    [JsonPropertyName("resources")]
    public List<string> Resources { get; set; } = [];

    [JsonPropertyName("images")]
    public List<KustomizeImage>? Images { get; set; }

    [JsonPropertyName("replicas")]
    public List<KustomizeReplicas>? Replicas { get; set; }

    [JsonPropertyName("patches")]
    public List<KustomizePatch>? Patches { get; set; }
}

public sealed class KustomizeImage
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("newName")]
    public string? NewName { get; set; }

    [JsonPropertyName("newTag")]
    public string? NewTag { get; set; }
}

public sealed class KustomizeReplicas
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";

    [JsonPropertyName("count")]
    public int Count { get; set; }
}

public sealed class KustomizePatch
{
    [JsonPropertyName("path")]
    public string Path { get; set; } = "";
}
