using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Mapping;

/// <summary>
/// <c>parameter.v0</c>: no objects of its own. Plain values are inlined where they are used; secret values are
/// never written, only referenced (Secret named after the parameter, key <c>value</c>; see secrets/).
/// </summary>
public sealed class ParameterMapper : IResourceMapper
{
    public IReadOnlyList<string> Types { get; } = [ResourceTypes.ParameterV0];

    public MappedResource? Map(ManifestResource resource, MappingContext context) => null;
}
