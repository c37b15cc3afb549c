using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Mapping;

/// <summary><c>executable.v0</c>: a local process (e.g. redis-server in run mode) has no image, so it is skipped with a warning.</summary>
public sealed class ExecutableMapper : IResourceMapper
{
    public IReadOnlyList<string> Types { get; } = [ResourceTypes.ExecutableV0];

    public MappedResource? Map(ManifestResource resource, MappingContext context)
    {
        context.Log.Warn(resource.Name, "executable.v0 runs a local program and has no container image; skipped (publish mode should describe a container)");
        return null;
    }
}
