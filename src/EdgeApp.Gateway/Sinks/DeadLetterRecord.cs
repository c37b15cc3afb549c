using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeApp.Gateway.Sinks;

/// <summary>
/// Wraps an event for the dead-letter sink: <c>{"reason":…,"sink":…,"deadLetteredAt":…,"event":&lt;the CloudEvent&gt;}</c>,
/// so an operator sees why it is there and can replay the original unchanged.
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
            writer.WritePropertyName("event");
            writer.WriteRawValue(record.Envelope.Span, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return record with { Envelope = buffer.ToArray() };
    }
}
