using System.Text.Json.Serialization;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Kubernetes.CustomResources;

/// <summary><c>dapr.io/v1alpha1</c> Resiliency: named policies, then which targets use them.</summary>
public sealed class DaprResiliency : IKubernetesObject<V1ObjectMeta>
{
    public const string ApiVersionValue = "dapr.io/v1alpha1";
    public const string KindValue = "Resiliency";

    [JsonPropertyName("apiVersion")]
    public string ApiVersion { get; set; } = ApiVersionValue;

    [JsonPropertyName("kind")]
    public string Kind { get; set; } = KindValue;

    [JsonPropertyName("metadata")]
    public V1ObjectMeta Metadata { get; set; } = new();

    [JsonPropertyName("spec")]
    public DaprResiliencySpec Spec { get; set; } = new();

    [JsonPropertyName("scopes")]
    public List<string>? Scopes { get; set; }
}

public sealed class DaprResiliencySpec
{
    [JsonPropertyName("policies")]
    public DaprResiliencyPolicies Policies { get; set; } = new();

    [JsonPropertyName("targets")]
    public DaprResiliencyTargets Targets { get; set; } = new();
}

public sealed class DaprResiliencyPolicies
{
    [JsonPropertyName("timeouts")]
    public Dictionary<string, string>? Timeouts { get; set; }

    [JsonPropertyName("retries")]
    public Dictionary<string, DaprRetryPolicy> Retries { get; set; } = [];

    [JsonPropertyName("circuitBreakers")]
    public Dictionary<string, DaprCircuitBreakerPolicy> CircuitBreakers { get; set; } = [];
}

public sealed class DaprRetryPolicy
{
    [JsonPropertyName("policy")]
    public string Policy { get; set; } = "exponential";

    [JsonPropertyName("duration")]
    public string? Duration { get; set; }

    [JsonPropertyName("maxInterval")]
    public string? MaxInterval { get; set; }

    [JsonPropertyName("maxRetries")]
    public int MaxRetries { get; set; }
}

public sealed class DaprCircuitBreakerPolicy
{
    [JsonPropertyName("maxRequests")]
    public int MaxRequests { get; set; } = 1;

    [JsonPropertyName("interval")]
    public string Interval { get; set; } = "0s";

    [JsonPropertyName("timeout")]
    public string Timeout { get; set; } = "60s";

    [JsonPropertyName("trip")]
    public string Trip { get; set; } = "";
}

public sealed class DaprResiliencyTargets
{
    [JsonPropertyName("components")]
    public Dictionary<string, DaprComponentTarget> Components { get; set; } = [];
}

public sealed class DaprComponentTarget
{
    [JsonPropertyName("inbound")]
    public DaprPolicyRef? Inbound { get; set; }

    [JsonPropertyName("outbound")]
    public DaprPolicyRef? Outbound { get; set; }
}

public sealed class DaprPolicyRef
{
    [JsonPropertyName("timeout")]
    public string? Timeout { get; set; }

    [JsonPropertyName("retry")]
    public string? Retry { get; set; }

    [JsonPropertyName("circuitBreaker")]
    public string? CircuitBreaker { get; set; }
}
