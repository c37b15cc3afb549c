using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Endpoints;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Expressions;

/// <summary>A named setting (environment variable, Dapr metadata entry) with its resolved value.</summary>
public sealed record ResolvedSetting(string Name, ResolvedValue Value);

/// <summary>A workload resource with its environment and arguments resolved.</summary>
public sealed record ResolvedWorkload(ManifestResource Source, IReadOnlyList<ResolvedSetting> Env, IReadOnlyList<ResolvedValue> Args)
{
    public string Name => Source.Name;
}

/// <summary>A Dapr component with its metadata resolved.</summary>
public sealed record ResolvedDaprComponent(DaprComponentSpec Spec, IReadOnlyList<ResolvedSetting> Metadata)
{
    public string Name => Spec.Name;
}

/// <summary>The output of the resolution pass, which every mapper reads.</summary>
public sealed record ResolvedManifest(
    AspireManifest Manifest,
    EndpointTable Endpoints,
    IReadOnlyDictionary<string, ResolvedWorkload> Workloads,
    IReadOnlyList<ResolvedDaprComponent> DaprComponents,
    IReadOnlyList<ParameterInput> Secrets);
