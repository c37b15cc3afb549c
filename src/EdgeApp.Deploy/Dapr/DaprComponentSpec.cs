namespace EdgeApp.Deploy.Dapr;

/// <summary>
/// A Dapr component as the generator will emit it: concrete type and version, and metadata as manifest
/// templates (expressions are resolved later, in the resolution pass).
/// </summary>
public sealed record DaprComponentSpec(
    string Name,
    string Type,
    string Version,
    IReadOnlyList<KeyValuePair<string, string>> Metadata)
{
    /// <summary>The building block: <c>pubsub</c>, <c>state</c>, <c>bindings</c>, ...</summary>
    public string BuildingBlock => Type.Split('.')[0];
}
