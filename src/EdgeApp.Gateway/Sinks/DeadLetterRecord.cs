using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeApp.Gateway.Sinks;

/// <summary>
/// Wraps an event for the dead-letter sink: <c>{"reason":…,"sink":…,"deadLetteredAt":…,"id":…,"event":&lt;the CloudEvent&gt;}</c>
/// (or <c>"eventBase64"</c> for bytes that are not JSON), so an operator sees why it is there and can replay the original.
/// </summary>
public static class DeadLetterRecord
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static SinkRecord Wrap(SinkRecord record, string reason, string? sink, DateTimeOffset now)
    {
        using var buffer = new MemoryStream(record.Envelope.Length + 256);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("reason", reason);
            if (sink is not null)
            {
                writer.WriteString("sink", sink);
            }

            writer.WriteString("deadLetteredAt", now);
            writer.WriteString("id", record.Id);
            if (IsSingleJsonValue(record.Envelope.Span))
            {
                writer.WritePropertyName("event");
                writer.WriteRawValue(record.Envelope.Span, skipInputValidation: true);
            }
            else
            {
                // Not JSON: kept byte for byte, so nothing is lost and the line stays valid.
                writer.WriteBase64String("eventBase64", record.Envelope.Span);
            }

            writer.WriteEndObject();
        }

        return record with { Envelope = buffer.ToArray() };
    }

    private static bool IsSingleJsonValue(ReadOnlySpan<byte> json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TrySkip() && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
