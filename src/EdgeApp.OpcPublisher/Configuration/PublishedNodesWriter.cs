using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeApp.OpcPublisher.Configuration;

/// <summary>Writes entries in OPC Publisher's published-nodes layout (intervals in ms, heartbeat in s), leaving out defaults.</summary>
public static class PublishedNodesWriter
{
    private static readonly JsonWriterOptions Options = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Write(IEnumerable<PublishedNodesEntry> entries, bool includeNodes = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, Options))
        {
            writer.WriteStartArray();
            foreach (var entry in entries)
            {
                WriteEntry(writer, entry, includeNodes);
            }

            writer.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteEntry(Utf8JsonWriter writer, PublishedNodesEntry entry, bool includeNodes)
    {
        writer.WriteStartObject();
        writer.WriteString("EndpointUrl", entry.EndpointUrl);
        writer.WriteBoolean("UseSecurity", entry.UseSecurity);
        WriteIf(writer, "EndpointSecurityMode", entry.EndpointSecurityMode);
        WriteIf(writer, "EndpointSecurityPolicy", entry.EndpointSecurityPolicy);
        if (entry.OpcAuthenticationMode != AuthenticationMode.Anonymous)
        {
            writer.WriteString("OpcAuthenticationMode", entry.OpcAuthenticationMode.ToString());
            WriteIf(writer, "OpcAuthenticationUsername", entry.OpcAuthenticationUsername);
            WriteIf(writer, "OpcAuthenticationPassword", entry.OpcAuthenticationPassword);
        }

        WriteIf(writer, "DataSetWriterGroup", entry.DataSetWriterGroup);
        WriteIf(writer, "DataSetWriterId", entry.DataSetWriterId);
        WriteMilliseconds(writer, "DataSetPublishingInterval", entry.DataSetPublishingInterval);
        WriteMilliseconds(writer, "DataSetSamplingInterval", entry.DataSetSamplingInterval);
        if (entry.DataSetKeyFrameCount is { } keyFrames)
        {
            writer.WriteNumber("DataSetKeyFrameCount", keyFrames);
        }

        if (entry.DataSetExtensionFields is { Count: > 0 } fields)
        {
            writer.WriteStartObject("DataSetExtensionFields");
            foreach (var (name, raw) in fields)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(raw);
            }

            writer.WriteEndObject();
        }

        if (entry.MessagingMode is { } mode)
        {
            writer.WriteString("MessagingMode", mode.ToString());
        }

        if (entry.BatchSize is { } batchSize)
        {
            writer.WriteNumber("BatchSize", batchSize);
        }

        WriteMilliseconds(writer, "BatchTriggerInterval", entry.BatchTriggerInterval);
        if (includeNodes)
        {
            writer.WriteStartArray("OpcNodes");
            foreach (var node in entry.OpcNodes)
            {
                WriteNode(writer, node);
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    }

    public static void WriteNode(Utf8JsonWriter writer, OpcNode node)
    {
        writer.WriteStartObject();
        writer.WriteString("Id", node.Id);
        WriteMilliseconds(writer, "OpcSamplingInterval", node.OpcSamplingInterval);
        WriteMilliseconds(writer, "OpcPublishingInterval", node.OpcPublishingInterval);
        WriteIf(writer, "DisplayName", node.DisplayName);
        WriteIf(writer, "DataSetFieldId", node.DataSetFieldId);
        if (node.HeartbeatInterval is { } heartbeat && heartbeat > TimeSpan.Zero)
        {
            if (heartbeat.Ticks % TimeSpan.TicksPerSecond == 0)
            {
                writer.WriteNumber("HeartbeatInterval", (long)heartbeat.TotalSeconds);
            }
            else
            {
                writer.WriteString("HeartbeatIntervalTimespan", heartbeat.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        if (node.SkipFirst)
        {
            writer.WriteBoolean("SkipFirst", true);
        }

        if (node.QueueSize is { } queueSize)
        {
            writer.WriteNumber("QueueSize", queueSize);
        }

        if (node.DiscardNew)
        {
            writer.WriteBoolean("DiscardNew", true);
        }

        if (node.DataChangeTrigger is { } trigger)
        {
            writer.WriteString("DataChangeTrigger", trigger.ToString());
        }

        if (node.DeadbandType is { } deadbandType)
        {
            writer.WriteString("DeadbandType", deadbandType.ToString());
        }

        if (node.DeadbandValue is { } deadbandValue)
        {
            writer.WriteNumber("DeadbandValue", deadbandValue);
        }

        WriteIf(writer, "IndexRange", node.IndexRange);
        writer.WriteEndObject();
    }

    private static void WriteIf(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }

    private static void WriteMilliseconds(Utf8JsonWriter writer, string name, TimeSpan? value)
    {
        if (value is not { } interval)
        {
            return;
        }

        // Whole milliseconds up to a day read back as a number; anything else as the ...Timespan form.
        if (interval.Ticks % TimeSpan.TicksPerMillisecond == 0 && interval <= TimeSpan.FromDays(1))
        {
            writer.WriteNumber(name, (long)interval.TotalMilliseconds);
        }
        else
        {
            writer.WriteString(name + "Timespan", interval.ToString("c", System.Globalization.CultureInfo.InvariantCulture));
        }
    }
}
