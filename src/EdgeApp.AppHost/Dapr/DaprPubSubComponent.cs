namespace EdgeApp.AppHost.Dapr;

/// <summary>
/// A Dapr pub/sub component on Redis Streams (<c>pubsub.redis</c>, v1) with the metadata EdgeApp relies on.
/// In publish mode it is a <c>dapr.component.v0</c> manifest resource; with local sidecars it becomes a YAML file.
/// </summary>
public sealed class DaprPubSubComponent(string name) : Resource(name)
{
    public const string ComponentType = "pubsub.redis";
    public const string ComponentVersion = "v1";

    /// <summary>Metadata in the order written; values may hold expressions resolved at run or deploy time.</summary>
    public List<KeyValuePair<string, ReferenceExpression>> Metadata { get; } = [];
}
