using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Kubernetes.CustomResources;

/// <summary><c>kustomize.toolkit.fluxcd.io/v1</c> Kustomization: which path of the source Flux applies, and how.</summary>
public sealed class FluxKustomization : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiVersionValue = "kustomize.toolkit.fluxcd.io/v1";
    public const string KindValue = "Kustomization";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public FluxKustomizationSpec Spec { get; set; } = new();
}

public sealed class FluxKustomizationSpec
{
    [JsonPropertyName("interval")]
    public string Interval { get; set; } = "10m";

    [JsonPropertyName("retryInterval")]
    public string RetryInterval { get; set; } = "1m";

    [JsonPropertyName("timeout")]
    public string Timeout { get; set; } = "5m";

    [JsonPropertyName("path")]
    public string Path { get; set; } = "";

    [JsonPropertyName("prune")]
    public bool Prune { get; set; } = true;

    [JsonPropertyName("wait")]
    public bool Wait { get; set; } = true;

    [JsonPropertyName("sourceRef")]
    public FluxSourceReference SourceRef { get; set; } = new();
}

public sealed class FluxSourceReference
{
    [JsonPropertyName("kind")]
    public string Kind { get; set; } = FluxGitRepository.KindValue;

    [JsonPropertyName("name")]
    public string Name { get; set; } = "";
}
