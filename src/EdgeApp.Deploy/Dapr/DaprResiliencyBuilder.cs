using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Kubernetes.CustomResources;
using k8s.Models;

namespace EdgeApp.Deploy.Dapr;

/// <summary>
/// The Resiliency for the components: inbound deliveries (pub/sub subscriptions, input bindings) retry without
/// limit behind a circuit breaker (nothing is dropped: at-least-once); outbound calls (publishing, the cloud sink)
/// retry a bounded number of times behind a breaker, then fail to the app, which spools.
/// </summary>
public static class DaprResiliencyBuilder
{
    public const string Name = "edgeapp-resiliency";
    public const string InboundRetry = "inboundRetry";
    public const string OutboundRetry = "outboundRetry";
    public const string Breaker = "componentBreaker";
    public const string OutboundTimeout = "outboundTimeout";

    public static DaprResiliency? Build(IReadOnlyList<DaprComponentSpec> components, IReadOnlyList<DaprSidecar> sidecars)
    {
        if (components.Count == 0)
        {
            return null;
        }

        var resiliency = new DaprResiliency
        {
            Metadata = new V1ObjectMeta { Name = Name, Labels = Labels.For(Name, "dapr-resiliency") },
            Scopes = sidecars.Count == 0 ? null : sidecars.Select(s => s.AppId).Distinct().ToList(),
        };
        var policies = resiliency.Spec.Policies;
        policies.Timeouts = new Dictionary<string, string> { [OutboundTimeout] = "30s" };
        policies.Retries[InboundRetry] = new DaprRetryPolicy { Policy = "exponential", MaxInterval = "60s", MaxRetries = -1 };
        policies.Retries[OutboundRetry] = new DaprRetryPolicy { Policy = "exponential", MaxInterval = "15s", MaxRetries = 10 };
        policies.CircuitBreakers[Breaker] = new DaprCircuitBreakerPolicy
        {
            MaxRequests = 1,
            Interval = "30s",
            Timeout = "60s",
            Trip = "consecutiveFailures > 5",
        };

        foreach (var component in components)
        {
            var receives = component.BuildingBlock is "pubsub" or "bindings";
            resiliency.Spec.Targets.Components[KubernetesName.Of(component.Name)] = new DaprComponentTarget
            {
                Inbound = receives ? new DaprPolicyRef { Retry = InboundRetry, CircuitBreaker = Breaker } : null,
                Outbound = new DaprPolicyRef { Timeout = OutboundTimeout, Retry = OutboundRetry, CircuitBreaker = Breaker },
            };
        }

        return resiliency;
    }
}
