using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeApp.Gateway.Sinks;

/// <summary>Keeps one event per line: an envelope that arrived pretty-printed is rewritten compactly.</summary>
internal static class JsonLines
{
    private static readonly JsonWriterOptions CompactOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The JSON as one line; false when it is not a single JSON value.</summary>
    public static bool TryAsLine(ReadOnlyMemory<byte> json, out ReadOnlyMemory<byte> line)
    {
        line = json;
        if (json.Span.IndexOfAny((byte)'\n', (byte)'\r') < 0)
        {
            return true;
        }

        try
        {
            line = Compact(json);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[] Compact(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json);
        using var buffer = new MemoryStream(json.Length);
        using (var writer = new Utf8JsonWriter(buffer, CompactOptions))
        {
            document.WriteTo(writer);
        }

        return buffer.ToArray();
    }
}
