using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Mapping;

/// <summary>Maps one manifest resource type to Kubernetes objects; pure apart from the warnings it logs.</summary>
public interface IResourceMapper
{
    IReadOnlyList<string> Types { get; }

    /// <summary>The objects for <paramref name="resource"/>, or null when the resource produces none of its own.</summary>
    MappedResource? Map(ManifestResource resource, MappingContext context);
}
