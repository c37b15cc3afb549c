using System.Text.Json;
using A = EdgeApp.Messaging.CloudEventConstants.Attributes;

namespace EdgeApp.Messaging;

/// <summary>Parses CloudEvent JSON without copying the payload; anything unusable raises <see cref="CloudEventFormatException"/>.</summary>
public static class CloudEventReader
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static CloudEvent Parse(ReadOnlyMemory<byte> envelope)
    {
        if (envelope.IsEmpty)
        {
            throw new CloudEventFormatException("The message is empty; expected a CloudEvent JSON object.");
        }

        try
        {
            return ParseObject(envelope);
        }
        catch (JsonException ex)
        {
            throw new CloudEventFormatException($"The message is not valid JSON: {ex.Message}", ex);
        }
        catch (FormatException ex)
        {
            throw new CloudEventFormatException($"The message has a malformed attribute: {ex.Message}", ex);
        }
        catch (InvalidOperationException ex)
        {
            throw new CloudEventFormatException($"The message has an attribute of the wrong JSON type: {ex.Message}", ex);
        }
    }

    private static CloudEvent ParseObject(ReadOnlyMemory<byte> envelope)
    {
        var reader = new Utf8JsonReader(envelope.Span, ReaderOptions);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new CloudEventFormatException("A CloudEvent must be a JSON object.");
        }

        string? id = null, source = null, type = null, specVersion = null, contentType = null, subject = null;
        string? topic = null, pubSubName = null, traceParent = null, traceState = null;
        DateTimeOffset? time = null;
        ReadOnlyMemory<byte> data = default;
        var dataIsJson = false;
        var hasData = false;

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.ValueSpan;
            if (!reader.Read())
            {
                break;
            }

            if (name.SequenceEqual("data"u8))
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                data = envelope[start..(int)reader.BytesConsumed];
                dataIsJson = hasData = true;
            }
            else if (name.SequenceEqual("data_base64"u8))
            {
                data = reader.TokenType == JsonTokenType.Null ? default : reader.GetBytesFromBase64();
                hasData = true;
            }
            else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip(); // extension attributes we do not interpret
            }
            else
            {
                AssignAttribute(ref reader, name);
            }
        }

        if (reader.TokenType != JsonTokenType.EndObject)
        {
            throw new CloudEventFormatException("The CloudEvent JSON object is not closed.");
        }

        if (reader.Read())
        {
            // Bytes after the object would travel on into sinks that expect one JSON value per event.
            throw new CloudEventFormatException($"The message continues after the CloudEvent object, at offset {reader.TokenStartIndex}.");
        }

        if (specVersion is not null and not CloudEventConstants.SpecVersion)
        {
            throw new CloudEventFormatException($"Only CloudEvents {CloudEventConstants.SpecVersion} is supported, not specversion '{specVersion}'.");
        }

        return new CloudEvent
        {
            Id = Require(id, A.Id),
            Source = Require(source, A.Source),
            Type = Require(type, A.Type),
            SpecVersion = Require(specVersion, A.SpecVersion),
            DataContentType = contentType ?? (dataIsJson ? CloudEventConstants.JsonContentType : null),
            Subject = subject,
            Topic = topic,
            PubSubName = pubSubName,
            TraceParent = traceParent,
            TraceState = traceState,
            Time = time,
            Data = data,
            DataIsJson = dataIsJson || !hasData,
            Envelope = envelope,
        };

        void AssignAttribute(ref Utf8JsonReader r, ReadOnlySpan<byte> attribute)
        {
            if (attribute.SequenceEqual("id"u8)) id = ReadText(ref r);
            else if (attribute.SequenceEqual("source"u8)) source = ReadText(ref r);
            else if (attribute.SequenceEqual("type"u8)) type = ReadText(ref r);
            else if (attribute.SequenceEqual("specversion"u8)) specVersion = ReadText(ref r);
            else if (attribute.SequenceEqual("datacontenttype"u8)) contentType = ReadText(ref r);
            else if (attribute.SequenceEqual("subject"u8)) subject = ReadText(ref r);
            else if (attribute.SequenceEqual("topic"u8)) topic = ReadText(ref r);
            else if (attribute.SequenceEqual("pubsubname"u8)) pubSubName = ReadText(ref r);
            else if (attribute.SequenceEqual("traceparent"u8)) traceParent = ReadText(ref r);
            else if (attribute.SequenceEqual("tracestate"u8)) traceState = ReadText(ref r);
            else if (attribute.SequenceEqual("time"u8) && r.TokenType == JsonTokenType.String && r.TryGetDateTimeOffset(out var parsed)) time = parsed;
        }
    }

    /// <summary>
    /// The <c>time</c> attribute of a stored envelope, without decoding the rest; null when absent or unreadable.
    /// For metrics on records that were validated when they arrived.
    /// </summary>
    public static DateTimeOffset? TryReadTime(ReadOnlySpan<byte> envelope)
    {
        try
        {
            var reader = new Utf8JsonReader(envelope, ReaderOptions);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isTime = reader.ValueTextEquals("time"u8);
                reader.Read();
                if (isTime)
                {
                    return reader.TokenType == JsonTokenType.String && reader.TryGetDateTimeOffset(out var time) ? time : null;
                }

                reader.Skip();
            }
        }
        catch (JsonException)
        {
            // Not readable: no time.
        }

        return null;
    }

    private static string? ReadText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString(),
        JsonTokenType.Null => null,
        _ => throw new CloudEventFormatException($"Attribute at offset {reader.TokenStartIndex} must be a string."),
    };

    private static string Require(string? value, string attribute) =>
        string.IsNullOrEmpty(value)
            ? throw new CloudEventFormatException($"The CloudEvent lacks the required attribute '{attribute}'.")
            : value;
}
