using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Expressions;

namespace EdgeApp.Deploy.Mapping;

/// <summary>Everything a mapper may read: the resolved manifest, the sidecars, the settings.</summary>
public sealed record MappingContext(
    ResolvedManifest Resolved,
    IReadOnlyList<DaprSidecar> Sidecars,
    GeneratorSettings Settings,
    GenerationLog Log)
{
    public DaprSidecar? SidecarOf(string application) => Sidecars.FirstOrDefault(s => s.Application == application);
}
