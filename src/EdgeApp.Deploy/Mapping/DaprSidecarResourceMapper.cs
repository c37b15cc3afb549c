using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Mapping;

/// <summary>
/// <c>dapr.v0</c>: the sidecar becomes annotations on its application's pod template, which the workload mapper
/// adds (see <see cref="Dapr.DaprSidecar.Annotations"/>); it has no objects of its own.
/// </summary>
public sealed class DaprSidecarResourceMapper : IResourceMapper
{
    public IReadOnlyList<string> Types { get; } = [ResourceTypes.DaprSidecarV0];

    public MappedResource? Map(ManifestResource resource, MappingContext context) => null;
}
