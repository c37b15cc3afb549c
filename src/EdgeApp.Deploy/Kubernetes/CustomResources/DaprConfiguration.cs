using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Kubernetes.CustomResources;

/// <summary><c>dapr.io/v1alpha1</c> Configuration: tracing, metrics and mTLS of the sidecars that name it.</summary>
public sealed class DaprConfiguration : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiVersionValue = "dapr.io/v1alpha1";
    public const string KindValue = "Configuration";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public DaprConfigurationSpec Spec { get; set; } = new();
}

public sealed class DaprConfigurationSpec
{
    [JsonPropertyName("tracing")]
    public DaprTracing? Tracing { get; set; }

    [JsonPropertyName("metric")]
    public DaprEnabled? Metric { get; set; }

    [JsonPropertyName("mtls")]
    public DaprEnabled? Mtls { get; set; }
}

public sealed class DaprTracing
{
    [JsonPropertyName("samplingRate")]
    public string SamplingRate { get; set; } = "1";

    [JsonPropertyName("otel")]
    public DaprOtel? Otel { get; set; }
}

public sealed class DaprOtel
{
    [JsonPropertyName("endpointAddress")]
    public string EndpointAddress { get; set; } = "";

    [JsonPropertyName("isSecure")]
    public bool IsSecure { get; set; }

    [JsonPropertyName("protocol")]
    public string Protocol { get; set; } = "grpc";
}

public sealed class DaprEnabled
{
    [JsonPropertyName("enabled")]
    public bool Enabled { get; set; }
}
