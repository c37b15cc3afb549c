using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Mapping;

/// <summary>Chooses the mapper by the resource's <c>type</c>; unknown types are skipped with a warning.</summary>
public sealed class MapperRegistry
{
    private readonly Dictionary<string, IResourceMapper> _byType = new(StringComparer.Ordinal);

    public MapperRegistry(IEnumerable<IResourceMapper> mappers)
    {
        foreach (var mapper in mappers)
        {
            foreach (var type in mapper.Types)
            {
                _byType.Add(type, mapper);
            }
        }
    }

    public static MapperRegistry Default { get; } = new([
        new ProjectMapper(),
        new ContainerMapper(),
        new ExecutableMapper(),
        new ParameterMapper(),
        new ValueMapper(),
        new DaprComponentResourceMapper(),
        new DaprSidecarResourceMapper(),
    ]);

    public IReadOnlyCollection<string> KnownTypes => _byType.Keys;

    public IReadOnlyList<MappedResource> MapAll(AspireManifest manifest, MappingContext context)
    {
        var mapped = new List<MappedResource>();
        foreach (var resource in manifest.Resources)
        {
            if (!_byType.TryGetValue(resource.Type, out var mapper))
            {
                context.Log.Warn(resource.Name, $"unknown resource type '{resource.Type}'; skipped");
                continue;
            }

            if (mapper.Map(resource, context) is { } result)
            {
                mapped.Add(result);
            }
        }

        return mapped;
    }
}
