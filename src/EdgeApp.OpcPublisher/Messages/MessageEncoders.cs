using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeApp.OpcPublisher.Messages;

/// <summary>
/// Encodes data set messages as OPC Publisher does (see messageformats.md of OPC Publisher 2.9): PubSub network
/// messages (<c>ua-data</c> with one data set message per writer and notification) or Samples (one object per value,
/// an array of them when a message holds more than one).
/// </summary>
public static class MessageEncoders
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = true };

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? cachedBuffer;

    [ThreadStatic]
    private static Utf8JsonWriter? cachedWriter;

    public static EncodedMessage Encode(MessagingMode mode, IReadOnlyList<DataSetMessage> messages, bool samplesAsArray = true) =>
        mode == MessagingMode.PubSub ? EncodePubSub(messages, NewId()) : EncodeSamples(messages, NewId(), samplesAsArray);

    /// <summary>
    /// <c>{"MessageId", "MessageType": "ua-data", "PublisherId", "DataSetWriterGroup", "Messages": [{"DataSetWriterId",
    /// "DataSetWriterName", "SequenceNumber", "MetaDataVersion", "MessageType": "ua-keyframe"|"ua-deltaframe",
    /// "Timestamp", "Payload": {field: DataValue}}]}</c>.
    /// </summary>
    public static EncodedMessage EncodePubSub(IReadOnlyList<DataSetMessage> messages, string messageId)
    {
        var first = messages[0];
        var values = 0;
        var data = Write(writer =>
        {
            writer.WriteStartObject();
            writer.WriteString("MessageId", messageId);
            writer.WriteString("MessageType", "ua-data");
            writer.WriteString("PublisherId", first.Writer.PublisherId);
            writer.WriteString("DataSetWriterGroup", first.Writer.Group);
            writer.WriteStartArray("Messages");
            foreach (var message in messages)
            {
                var info = message.Writer;
                writer.WriteStartObject();
                writer.WriteNumber("DataSetWriterId", info.WriterId);
                writer.WriteString("DataSetWriterName", info.WriterName);
                writer.WriteNumber("SequenceNumber", message.SequenceNumber);
                writer.WriteStartObject("MetaDataVersion");
                writer.WriteNumber("MajorVersion", info.MajorVersion);
                writer.WriteNumber("MinorVersion", info.MinorVersion);
                writer.WriteEndObject();
                writer.WriteString("MessageType", message.KeyFrame ? "ua-keyframe" : "ua-deltaframe");
                writer.WritePropertyName("Timestamp");
                UaJson.WriteDateTime(writer, message.Timestamp);
                writer.WriteStartObject("Payload");
                foreach (var field in message.Fields)
                {
                    writer.WritePropertyName(field.FieldName);
                    UaJson.WriteDataValue(writer, field.Value, info.Namespaces);
                    values++;
                }

                if (message.KeyFrame && info.ExtensionFields is { } extensions)
                {
                    foreach (var (name, raw) in extensions)
                    {
                        writer.WriteStartObject(name);
                        writer.WritePropertyName("Value");
                        writer.WriteRawValue(raw, skipInputValidation: true);
                        writer.WriteEndObject();
                    }
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });

        return new EncodedMessage(messageId, first.Writer.Group, MessageTypes.PubSub, first.Timestamp, data, values);
    }

    /// <summary>
    /// Per value: <c>{"NodeId", "EndpointUrl", "ApplicationUri", "DisplayName", "Timestamp", "Value": {"Value" | "StatusCode",
    /// "SourceTimestamp", "ServerTimestamp"}, "SequenceNumber", "ExtensionFields": {"PublisherId", "DataSetWriterId", ...}}</c>.
    /// </summary>
    public static EncodedMessage EncodeSamples(IReadOnlyList<DataSetMessage> messages, string messageId, bool asArray)
    {
        var first = messages[0];
        var values = 0;
        var data = Write(writer =>
        {
            if (asArray)
            {
                writer.WriteStartArray();
            }

            foreach (var message in messages)
            {
                foreach (var field in message.Fields)
                {
                    WriteSample(writer, message, field);
                    values++;
                }
            }

            if (asArray)
            {
                writer.WriteEndArray();
            }
        });

        return new EncodedMessage(messageId, first.Writer.Group, MessageTypes.Samples, first.Timestamp, data, values);
    }

    private static void WriteSample(Utf8JsonWriter writer, DataSetMessage message, in FieldValue field)
    {
        var info = message.Writer;
        writer.WriteStartObject();
        writer.WriteString("NodeId", field.NodeId);
        writer.WriteString("EndpointUrl", info.EndpointUrl);
        if (info.ApplicationUri is not null)
        {
            writer.WriteString("ApplicationUri", info.ApplicationUri);
        }

        if (field.DisplayName is not null)
        {
            writer.WriteString("DisplayName", field.DisplayName);
        }

        writer.WritePropertyName("Timestamp");
        UaJson.WriteDateTime(writer, message.Timestamp);
        writer.WritePropertyName("Value");
        UaJson.WriteDataValue(writer, field.Value, info.Namespaces);
        writer.WriteNumber("SequenceNumber", message.NotificationSequence);
        writer.WriteStartObject("ExtensionFields");
        writer.WriteString("PublisherId", info.PublisherId);
        writer.WriteString("DataSetWriterId", info.WriterName);
        if (info.ExtensionFields is { } extensions)
        {
            foreach (var (name, raw) in extensions)
            {
                // Samples carry extension fields as strings (OPC Publisher stringifies them).
                writer.WriteString(name, raw.Length > 1 && raw[0] == '"' ? JsonSerializer.Deserialize<string>(raw) : raw);
            }
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    /// <summary>A new message id: time-ordered UUID, unique across restarts.</summary>
    public static string NewId() => Guid.CreateVersion7().ToString();

    private static byte[] Write(Action<Utf8JsonWriter> body)
    {
        var buffer = cachedBuffer ??= new ArrayBufferWriter<byte>(64 * 1024);
        buffer.ResetWrittenCount();
        var writer = cachedWriter ??= new Utf8JsonWriter(buffer, Options);
        writer.Reset(buffer);
        try
        {
            body(writer);
            writer.Flush();
        }
        catch
        {
            cachedWriter = null;
            throw;
        }

        var result = buffer.WrittenSpan.ToArray();
        if (buffer.Capacity > 8 << 20)
        {
            cachedBuffer = null;
            cachedWriter = null;
        }

        return result;
    }
}
