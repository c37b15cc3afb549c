using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Endpoints;
using EdgeApp.Deploy.Expressions;

namespace EdgeApp.Deploy.Network;

/// <summary>
/// The connections the app model declares: a workload talks to every endpoint its settings name, its Dapr
/// sidecar to every endpoint its components name, and to an external service when a connection string comes
/// only from a parameter (e.g. Event Hubs).
/// </summary>
public sealed class NetworkFlows
{
    private readonly Dictionary<string, HashSet<ServiceEndpoint>> _uses = new(StringComparer.Ordinal);
    private readonly HashSet<string> _external = new(StringComparer.Ordinal);

    private NetworkFlows()
    {
    }

    public IReadOnlySet<ServiceEndpoint> Uses(string workload) =>
        _uses.TryGetValue(workload, out var set) ? set : new HashSet<ServiceEndpoint>();

    public bool UsesExternalServices(string workload) => _external.Contains(workload);

    public IEnumerable<string> ClientsOf(ServiceEndpoint endpoint) =>
        _uses.Where(p => p.Value.Contains(endpoint)).Select(p => p.Key).Order(StringComparer.Ordinal);

    public static NetworkFlows From(ResolvedManifest resolved, IReadOnlyList<DaprSidecar> sidecars)
    {
        var flows = new NetworkFlows();
        foreach (var workload in resolved.Workloads.Values)
        {
            var values = workload.Env.Select(e => e.Value).Concat(workload.Args);
            flows.AddUses(workload.Name, values.SelectMany(v => v.Uses), resolved);
            if (workload.Env.Any(e => e.Name.StartsWith("ConnectionStrings__", StringComparison.Ordinal) && IsExternal([e.Value])))
            {
                flows._external.Add(workload.Name);
            }
        }

        foreach (var sidecar in sidecars)
        {
            var components = resolved.DaprComponents.Where(c =>
                sidecar.Components.Contains(c.Name) || !sidecars.Any(s => s.Components.Contains(c.Name)));
            foreach (var component in components)
            {
                var values = component.Metadata.Select(m => m.Value).ToList();
                flows.AddUses(sidecar.Application, values.SelectMany(v => v.Uses), resolved);
                if (IsExternal(values))
                {
                    flows._external.Add(sidecar.Application);
                }
            }
        }

        return flows;
    }

    /// <summary>Built from parameters only, with no in-cluster endpoint: the service lives outside the cluster.</summary>
    private static bool IsExternal(IReadOnlyList<ResolvedValue> values) =>
        values.Any(v => v.Parameters.Count > 0) && values.All(v => v.Uses.Count == 0);

    private void AddUses(string workload, IEnumerable<ServiceEndpoint> endpoints, ResolvedManifest resolved)
    {
        if (!_uses.TryGetValue(workload, out var set))
        {
            _uses[workload] = set = [];
        }

        foreach (var endpoint in endpoints)
        {
            if (endpoint.Resource != workload && resolved.Workloads.ContainsKey(endpoint.Resource))
            {
                set.Add(endpoint);
            }
        }
    }
}
