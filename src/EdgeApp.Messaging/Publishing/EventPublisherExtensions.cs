using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeApp.Messaging;

public static class EventPublisherExtensions
{
    /// <summary>Serialises <paramref name="value"/> as the JSON payload of one event.</summary>
    public static Task PublishJsonAsync<T>(
        this IEventPublisher publisher,
        string topic,
        T value,
        JsonTypeInfo<T> typeInfo,
        string? subject = null,
        string? id = null,
        CancellationToken cancellationToken = default) =>
        publisher.PublishAsync(topic, Json(value, typeInfo, subject, id), cancellationToken);

    public static OutgoingEvent Json<T>(T value, JsonTypeInfo<T> typeInfo, string? subject = null, string? id = null) =>
        new(JsonSerializer.SerializeToUtf8Bytes(value, typeInfo)) { Subject = subject, Id = id };
}
