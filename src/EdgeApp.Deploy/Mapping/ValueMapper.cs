using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Mapping;

/// <summary><c>value.v0</c> and <c>annotated.string</c>: values that exist only inside other resources' expressions.</summary>
public sealed class ValueMapper : IResourceMapper
{
    public IReadOnlyList<string> Types { get; } = [ResourceTypes.ValueV0, ResourceTypes.AnnotatedString];

    public MappedResource? Map(ManifestResource resource, MappingContext context) => null;
}
