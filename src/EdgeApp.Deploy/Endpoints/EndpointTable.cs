using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Endpoints;

/// <summary>Assigns every binding of every workload resource its in-cluster endpoint, before expressions are resolved.</summary>
public sealed class EndpointTable
{
    /// <summary>ASP.NET Core container images listen on 8080 (<c>ASPNETCORE_HTTP_PORTS</c>).</summary>
    public const int DefaultProjectHttpPort = 8080;

    private readonly Dictionary<(string Resource, string Binding), ServiceEndpoint> _endpoints = [];

    private EndpointTable()
    {
    }

    public ServiceEndpoint? Find(string resource, string binding) => _endpoints.GetValueOrDefault((resource, binding));

    public IReadOnlyList<ServiceEndpoint> For(string resource) =>
        _endpoints.Values.Where(e => e.Resource == resource).ToList();

    public static EndpointTable Build(AspireManifest manifest)
    {
        var table = new EndpointTable();
        foreach (var resource in manifest.Resources)
        {
            switch (resource.Type)
            {
                case ResourceTypes.ProjectV0 or ResourceTypes.ProjectV1:
                    AddProject(table, resource);
                    break;
                case ResourceTypes.ContainerV0 or ResourceTypes.ContainerV1:
                    AddContainer(table, resource);
                    break;
            }
        }

        return table;
    }

    private static void AddProject(EndpointTable table, ManifestResource project)
    {
        var httpPortTaken = false;
        foreach (var binding in project.Bindings)
        {
            // Pods serve plain http: TLS ends at the ingress and Dapr's mTLS protects pod-to-pod traffic.
            var served = !string.Equals(binding.Scheme, "https", StringComparison.OrdinalIgnoreCase);
            int port;
            if (binding.TargetPort is { } target)
            {
                port = target;
            }
            else if (!served || !httpPortTaken)
            {
                port = DefaultProjectHttpPort;
                httpPortTaken |= served;
            }
            else
            {
                throw new DeployException(project.Name, $"bindings.{binding.Name}.targetPort",
                    $"missing: only one http binding can default to port {DefaultProjectHttpPort}");
            }

            table.Add(new ServiceEndpoint(project.Name, binding.Name, binding.Scheme, binding.Protocol, port, binding.External, served));
        }
    }

    private static void AddContainer(EndpointTable table, ManifestResource container)
    {
        foreach (var binding in container.Bindings)
        {
            var port = binding.TargetPort ?? binding.Port
                ?? throw new DeployException(container.Name, $"bindings.{binding.Name}.targetPort", "missing: a container binding needs the port it listens on");
            table.Add(new ServiceEndpoint(container.Name, binding.Name, binding.Scheme, binding.Protocol, port, binding.External, Served: true));
        }
    }

    private void Add(ServiceEndpoint endpoint) => _endpoints[(endpoint.Resource, endpoint.Binding)] = endpoint;
}
