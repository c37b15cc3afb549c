using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using A = EdgeApp.Messaging.CloudEventConstants.Attributes;

namespace EdgeApp.Messaging;

/// <summary>
/// Writes the CloudEvent JSON that Dapr's pub/sub stores: members in the sorted order Go's encoding/json gives
/// a map, JSON payloads inline as <c>data</c>, anything else as <c>data_base64</c>.
/// </summary>
public static class CloudEventWriter
{
    private static readonly JsonWriterOptions WriterOptions = new()
    {
        // Go keeps non-ASCII characters as they are; so do we, so stored bytes match.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? cachedBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    /// <summary>Encodes one event into a new array sized to fit.</summary>
    /// <exception cref="ArgumentException">The payload is declared JSON but is not valid JSON.</exception>
    public static byte[] ToArray(in OutgoingEvent evt, in EnvelopeContext context)
    {
        var buffer = cachedBuffer ??= new ArrayBufferWriter<byte>(1024);
        buffer.ResetWrittenCount();
        var writer = cachedWriter ??= new Utf8JsonWriter(buffer, WriterOptions);
        writer.Reset(buffer);
        try
        {
            Write(writer, evt, context);
        }
        catch
        {
            // A half-written writer must not be reused.
            cachedWriter = null;
            throw;
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void Write(Utf8JsonWriter writer, in OutgoingEvent evt, in EnvelopeContext context)
    {
        writer.WriteStartObject();
        if (CloudEventConstants.IsJson(evt.DataContentType))
        {
            writer.WritePropertyName(A.Data);
            try
            {
                writer.WriteRawValue(evt.Data.Span);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"The event payload is declared '{evt.DataContentType}' but is not valid JSON: {ex.Message}", nameof(evt), ex);
            }
        }
        else
        {
            writer.WriteBase64String(A.DataBase64, evt.Data.Span);
        }

        writer.WriteString(A.DataContentType, evt.DataContentType);
        writer.WriteString(A.Id, evt.Id ?? Guid.NewGuid().ToString());
        writer.WriteString(A.PubSubName, context.PubSubName);
        writer.WriteString(A.Source, context.Source);
        writer.WriteString(A.SpecVersion, CloudEventConstants.SpecVersion);
        if (evt.Subject is not null)
        {
            writer.WriteString(A.Subject, evt.Subject);
        }

        WriteTime(writer, evt.Time ?? context.Time);
        writer.WriteString(A.Topic, context.Topic);
        writer.WriteString(A.TraceId, context.TraceParent);
        writer.WriteString(A.TraceParent, context.TraceParent);
        writer.WriteString(A.TraceState, context.TraceState ?? string.Empty);
        writer.WriteString(A.Type, evt.Type ?? CloudEventConstants.DefaultType);
        writer.WriteEndObject();
        writer.Flush();
    }

    private static void WriteTime(Utf8JsonWriter writer, DateTimeOffset time)
    {
        // RFC 3339 in UTC with microseconds: parseable by Go's time.RFC3339 and precise enough for lag metrics.
        Span<char> text = stackalloc char[32];
        time.UtcDateTime.TryFormat(text, out var written, "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture);
        writer.WriteString(A.Time, text[..written]);
    }
}
