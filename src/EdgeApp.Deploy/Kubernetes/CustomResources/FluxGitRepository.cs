using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Kubernetes.CustomResources;

/// <summary><c>source.toolkit.fluxcd.io/v1</c> GitRepository: where Flux fetches the manifests from.</summary>
public sealed class FluxGitRepository : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiVersionValue = "source.toolkit.fluxcd.io/v1";
    public const string KindValue = "GitRepository";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public FluxGitRepositorySpec Spec { get; set; } = new();
}

public sealed class FluxGitRepositorySpec
{
    [JsonPropertyName("interval")]
    public string Interval { get; set; } = "1m";

    [JsonPropertyName("url")]
    public string Url { get; set; } = "";

    [JsonPropertyName("ref")]
    public FluxGitReference Ref { get; set; } = new();

    [JsonPropertyName("secretRef")]
    public FluxLocalObjectReference? SecretRef { get; set; }
}

public sealed class FluxGitReference
{
    [JsonPropertyName("branch")]
    public string Branch { get; set; } = "main";
}

public sealed class FluxLocalObjectReference
{
    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}
