using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Mapping;

/// <summary><c>dapr.component.v0</c> -> a Dapr Component under <c>base/dapr/</c>.</summary>
public sealed class DaprComponentResourceMapper : IResourceMapper
{
    public const string Folder = "dapr";

    public IReadOnlyList<string> Types { get; } = [ResourceTypes.DaprComponentV0];

    public MappedResource Map(ManifestResource resource, MappingContext context)
    {
        var component = context.Resolved.DaprComponents.Single(c => c.Name == resource.Name);
        return new MappedResource(resource.Name, Folder, [DaprComponentMapper.Map(component, context.Sidecars, context.Log)]);
    }
}
