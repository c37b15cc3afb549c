using System.Text.Json;

namespace EdgeApp.Messaging.Transports.Dapr;

/// <summary>
/// Dapr's bulk delivery to an app: <c>{"entries":[{"entryId","event","contentType","metadata"}],"id","topic","pubsubname","type"}</c>,
/// answered with <c>{"statuses":[{"entryId","status"}]}</c>.
/// </summary>
internal static class DaprBulkMessage
{
    /// <summary>
    /// True when <paramref name="body"/> is a bulk envelope; its entries' events are sliced out without copying.
    /// A body that is a bulk envelope but malformed sets <paramref name="problem"/>.
    /// </summary>
    public static bool TryParse(ReadOnlyMemory<byte> body, out List<InboundMessage> entries, out string? problem)
    {
        entries = [];
        problem = null;
        try
        {
            var reader = new Utf8JsonReader(body.Span);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var isEntries = reader.ValueTextEquals("entries"u8);
                reader.Read();
                if (!isEntries)
                {
                    reader.Skip();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.StartArray)
                {
                    problem = "Bulk delivery 'entries' must be an array.";
                    return true;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
                {
                    entries.Add(ReadEntry(ref reader, body));
                }

                return true;
            }

            return false;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Not a bulk envelope we can read: let the CloudEvent reader judge it as a single event.
            entries = [];
            return false;
        }
    }

    public static byte[] ResponseBody(List<InboundMessage> entries, DeliveryOutcome[] outcomes)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("statuses");
            for (var i = 0; i < entries.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("entryId", entries[i].MessageId);
                writer.WriteString("status", DaprSubscriptionEndpoints.StatusText(outcomes[i].Status));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    private static InboundMessage ReadEntry(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        var entryId = string.Empty;
        ReadOnlyMemory<byte> evt = default;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            switch (name)
            {
                case "entryId":
                    entryId = reader.GetString() ?? string.Empty;
                    break;
                case "event" when reader.TokenType == JsonTokenType.String:
                    // A raw (non-CloudEvent) payload arrives as a string; the dispatcher judges it.
                    evt = System.Text.Encoding.UTF8.GetBytes(reader.GetString() ?? string.Empty);
                    break;
                case "event":
                    var start = (int)reader.TokenStartIndex;
                    reader.Skip();
                    evt = body[start..(int)reader.BytesConsumed];
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        return new InboundMessage(entryId, evt, 1);
    }
}
