using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace EdgeApp.Messaging;

/// <summary>
/// A CloudEvents 1.0 envelope as received from the broker. <see cref="Data"/> and <see cref="Envelope"/>
/// point into the received bytes, so sinks can forward the original JSON without re-serialising it.
/// </summary>
public sealed class CloudEvent
{
    public required string Id { get; init; }

    public required string Source { get; init; }

    public required string Type { get; init; }

    public required string SpecVersion { get; init; }

    public string? DataContentType { get; init; }

    public string? Subject { get; init; }

    public string? Topic { get; init; }

    public string? PubSubName { get; init; }

    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    public DateTimeOffset? Time { get; init; }

    /// <summary>The JSON value of <c>data</c>, or the decoded bytes of <c>data_base64</c>.</summary>
    public ReadOnlyMemory<byte> Data { get; init; }

    /// <summary>True when <see cref="Data"/> holds JSON (the <c>data</c> member) rather than binary.</summary>
    public bool DataIsJson { get; init; }

    /// <summary>The whole envelope exactly as it travelled.</summary>
    public ReadOnlyMemory<byte> Envelope { get; init; }

    /// <summary>Deserialises <see cref="Data"/>; throws <see cref="CloudEventFormatException"/> when it does not fit.</summary>
    public T GetData<T>(JsonTypeInfo<T> typeInfo)
    {
        if (!DataIsJson)
        {
            throw new CloudEventFormatException($"Event '{Id}' carries binary data, not JSON.");
        }

        try
        {
            return JsonSerializer.Deserialize(Data.Span, typeInfo)
                ?? throw new CloudEventFormatException($"Event '{Id}' has null data.");
        }
        catch (JsonException ex)
        {
            throw new CloudEventFormatException($"Event '{Id}' data is not a valid {typeof(T).Name}: {ex.Message}", ex);
        }
    }
}
