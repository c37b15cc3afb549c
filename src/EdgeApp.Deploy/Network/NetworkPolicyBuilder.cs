using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Expressions;
using EdgeApp.Deploy.Kubernetes;
using k8s.Models;

namespace EdgeApp.Deploy.Network;

/// <summary>
/// Default deny for the namespace, DNS for everyone, then per workload only the flows the app model declares
/// (<see cref="NetworkFlows"/>), plus what the platform needs: the Dapr control plane for sidecars, the OTLP
/// collector for telemetry, metrics scraping when a sidecar enables metrics.
/// </summary>
public static class NetworkPolicyBuilder
{
    public const string DefaultDenyName = "default-deny-all";
    public const string AllowDnsName = "allow-dns";
    public const string DaprSystemNamespace = "dapr-system";

    /// <summary>dapr-api (operator), dapr-sentry, placement and scheduler ports, as the pods listen.</summary>
    public static readonly int[] DaprControlPlanePorts = [6500, 50001, 50005, 50006];

    /// <summary>HTTPS and AMQPS: what cloud services such as Event Hubs are reached on.</summary>
    public static readonly int[] ExternalServicePorts = [443, 5671];

    public static IReadOnlyList<V1NetworkPolicy> Shared() =>
    [
        Policy(DefaultDenyName, new V1LabelSelector(), ingress: [], egress: []),
        Policy(AllowDnsName, new V1LabelSelector(), ingress: null, egress:
        [
            new V1NetworkPolicyEgressRule
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector(),
                        PodSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["k8s-app"] = "kube-dns" } },
                    },
                ],
                Ports = [Port(53, "UDP"), Port(53, "TCP")],
            },
        ]),
    ];

    public static V1NetworkPolicy ForWorkload(string workload, ResolvedManifest resolved, NetworkFlows flows, DaprSidecar? sidecar, GeneratorSettings settings, bool exportsTelemetry)
    {
        var name = KubernetesName.Of(workload);
        var ingress = new List<V1NetworkPolicyIngressRule>();
        foreach (var endpoint in resolved.Endpoints.For(workload).Where(e => e.Served))
        {
            var clients = flows.ClientsOf(endpoint).ToList();
            if (endpoint.External)
            {
                ingress.Add(new V1NetworkPolicyIngressRule { Ports = [Port(endpoint.ContainerPort, endpoint.KubernetesProtocol)] });
            }
            else if (clients.Count > 0)
            {
                ingress.Add(new V1NetworkPolicyIngressRule
                {
                    FromProperty = clients.Select(c => new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(KubernetesName.Of(c)) } }).ToList(),
                    Ports = [Port(endpoint.ContainerPort, endpoint.KubernetesProtocol)],
                });
            }
        }

        if (sidecar is { EnableMetrics: true })
        {
            ingress.Add(new V1NetworkPolicyIngressRule
            {
                FromProperty = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }],
                Ports = [Port(DaprSidecar.MetricsPort, "TCP")],
            });
        }

        var egress = new List<V1NetworkPolicyEgressRule>();
        foreach (var endpoint in flows.Uses(workload).OrderBy(e => e.Resource, StringComparer.Ordinal).ThenBy(e => e.Binding, StringComparer.Ordinal))
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { PodSelector = new V1LabelSelector { MatchLabels = Labels.Selector(KubernetesName.Of(endpoint.Resource)) } }],
                Ports = [Port(endpoint.ContainerPort, endpoint.KubernetesProtocol)],
            });
        }

        if (exportsTelemetry || sidecar is not null)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { NamespaceSelector = new V1LabelSelector() }],
                Ports = [Port(OtlpPort(settings.OtlpEndpoint), "TCP")],
            });
        }

        if (sidecar is not null)
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To =
                [
                    new V1NetworkPolicyPeer
                    {
                        NamespaceSelector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["kubernetes.io/metadata.name"] = DaprSystemNamespace } },
                    },
                ],
                Ports = DaprControlPlanePorts.Select(p => Port(p, "TCP")).ToList(),
            });
        }

        if (flows.UsesExternalServices(workload))
        {
            egress.Add(new V1NetworkPolicyEgressRule
            {
                To = [new V1NetworkPolicyPeer { IpBlock = new V1IPBlock { Cidr = "0.0.0.0/0" } }],
                Ports = ExternalServicePorts.Select(p => Port(p, "TCP")).ToList(),
            });
        }

        return Policy(name, new V1LabelSelector { MatchLabels = Labels.Selector(name) }, ingress, egress);
    }

    public static int OtlpPort(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.Port : 4317;

    private static V1NetworkPolicyPort Port(int port, string protocol) => new() { Port = port, Protocol = protocol };

    private static V1NetworkPolicy Policy(string name, V1LabelSelector selector, List<V1NetworkPolicyIngressRule>? ingress, List<V1NetworkPolicyEgressRule>? egress)
    {
        var types = new List<string>();
        if (ingress is not null)
        {
            types.Add("Ingress");
        }

        if (egress is not null)
        {
            types.Add("Egress");
        }

        return new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1",
            Kind = "NetworkPolicy",
            Metadata = new V1ObjectMeta { Name = name, Labels = Labels.Shared() },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = selector,
                PolicyTypes = types,
                Ingress = ingress is { Count: > 0 } ? ingress : null,
                Egress = egress is { Count: > 0 } ? egress : null,
            },
        };
    }
}
