using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Endpoints;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Expressions;

/// <summary>The resolution pass: resolves every expression of the workloads and Dapr components, before any mapping.</summary>
public static class ManifestResolver
{
    public static ResolvedManifest Resolve(
        AspireManifest manifest,
        IReadOnlyDictionary<string, string> parameterValues,
        GenerationLog log)
    {
        var endpoints = EndpointTable.Build(manifest);
        var components = DaprComponentNormalizer.Normalize(manifest, log);
        var resolver = new ExpressionResolver(manifest, endpoints, parameterValues, log);

        var workloads = new Dictionary<string, ResolvedWorkload>(StringComparer.Ordinal);
        foreach (var resource in manifest.OfType(ResourceTypes.ProjectV0, ResourceTypes.ProjectV1, ResourceTypes.ContainerV0, ResourceTypes.ContainerV1))
        {
            var env = resource.Env
                .Select(e => new ResolvedSetting(e.Key, resolver.Resolve(e.Value, resource.Name, $"env.{e.Key}")))
                .ToList();
            var args = resource.Args
                .Select((a, i) => resolver.Resolve(a, resource.Name, $"args[{i}]"))
                .ToList();
            workloads[resource.Name] = new ResolvedWorkload(resource, env, args);
        }

        var daprComponents = components
            .Select(c => new ResolvedDaprComponent(
                c,
                c.Metadata.Select(m => new ResolvedSetting(m.Key, resolver.Resolve(m.Value, c.Name, $"daprComponent.metadata.{m.Key}"))).ToList()))
            .ToList();

        foreach (var component in daprComponents)
        {
            foreach (var entry in component.Metadata.Where(m => m.Value.OmitReason is not null))
            {
                throw new DeployException(component.Name, $"daprComponent.metadata.{entry.Name}", entry.Value.OmitReason!);
            }
        }

        return new ResolvedManifest(manifest, endpoints, workloads, daprComponents, resolver.SecretsUsed.ToList());
    }
}
