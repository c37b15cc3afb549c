namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>
/// The stream layout of Dapr's pubsub.redis (components-contrib pubsub/redis): the stream key is the topic,
/// the CloudEvent JSON is the entry's <c>data</c> field, the consumer group and consumer are both the app id.
/// </summary>
internal static class StreamLayout
{
    public const string DataField = "data";

    /// <summary>Optional JSON map of message metadata, as Dapr writes when a publisher sends metadata.</summary>
    public const string MetadataField = "metadata";

    public const string MessagingSystem = "redis";
}
