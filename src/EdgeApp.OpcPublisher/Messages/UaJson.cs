using System.Globalization;
using System.Text.Json;
using EdgeApp.OpcUa.Encoding;
using StatusCodes = EdgeApp.OpcUa.Encoding.StatusCodes;

namespace EdgeApp.OpcPublisher.Messages;

/// <summary>
/// OPC UA's non-reversible JSON encoding (Part 6 §5.4) of values, as OPC Publisher's JSON messages carry them:
/// numbers as JSON numbers except 64-bit integers (strings, as JSON numbers lose precision beyond 2^53), NaN and
/// infinities as "NaN"/"Infinity"/"-Infinity", DateTime as ISO 8601 UTC, ByteString base64, NodeIds in their text
/// form with the namespace URI (<c>nsu=</c>) when the server's namespace table names it, StatusCode as
/// <c>{Code, Symbol}</c>, QualifiedName as <c>{Name, Uri}</c>, LocalizedText as its text, arrays as arrays and
/// matrices as nested arrays. Structures this stack cannot decode are written as <c>{TypeId, Body}</c> with the
/// body in base64.
/// </summary>
public static class UaJson
{
    private const long MinUaTicks = 504_911_232_000_000_000; // 1601-01-01: earlier values mean "no time"

    public static void WriteVariant(Utf8JsonWriter writer, in Variant value, IReadOnlyList<string>? namespaces = null)
    {
        if (value.IsArray)
        {
            var array = value.Array!;
            if (value.ArrayDimensions is { Length: > 1 } dimensions)
            {
                var index = 0;
                WriteMatrix(writer, value.Type, array, dimensions, 0, ref index, namespaces);
            }
            else
            {
                writer.WriteStartArray();
                foreach (var element in array)
                {
                    WriteScalar(writer, value.Type, element, namespaces);
                }

                writer.WriteEndArray();
            }

            return;
        }

        switch (value.Type)
        {
            case BuiltInType.Null:
                writer.WriteNullValue();
                break;
            case BuiltInType.Boolean:
                writer.WriteBooleanValue(value.Get<bool>());
                break;
            case BuiltInType.SByte:
                writer.WriteNumberValue(value.Get<sbyte>());
                break;
            case BuiltInType.Byte:
                writer.WriteNumberValue(value.Get<byte>());
                break;
            case BuiltInType.Int16:
                writer.WriteNumberValue(value.Get<short>());
                break;
            case BuiltInType.UInt16:
                writer.WriteNumberValue(value.Get<ushort>());
                break;
            case BuiltInType.Int32:
                writer.WriteNumberValue(value.Get<int>());
                break;
            case BuiltInType.UInt32:
                writer.WriteNumberValue(value.Get<uint>());
                break;
            case BuiltInType.Float:
                WriteFloat(writer, value.Get<float>());
                break;
            case BuiltInType.Double:
                WriteDouble(writer, value.Get<double>());
                break;
            case BuiltInType.DateTime:
                WriteDateTime(writer, value.Get<DateTime>());
                break;
            case BuiltInType.StatusCode:
                WriteStatusCode(writer, value.Get<StatusCode>());
                break;
            default:
                WriteScalar(writer, value.Type, value.Value, namespaces);
                break;
        }
    }

    /// <summary>One scalar of <paramref name="type"/>, boxed (array elements and reference types).</summary>
    public static void WriteScalar(Utf8JsonWriter writer, BuiltInType type, object? value, IReadOnlyList<string>? namespaces = null)
    {
        switch (value)
        {
            case null when type is BuiltInType.String or BuiltInType.ByteString or BuiltInType.XmlElement or BuiltInType.Null or BuiltInType.ExtensionObject or BuiltInType.DiagnosticInfo:
                writer.WriteNullValue();
                return;
            case bool b:
                writer.WriteBooleanValue(b);
                return;
            case sbyte sb:
                writer.WriteNumberValue(sb);
                return;
            case byte by:
                writer.WriteNumberValue(by);
                return;
            case short s:
                writer.WriteNumberValue(s);
                return;
            case ushort us:
                writer.WriteNumberValue(us);
                return;
            case int i:
                writer.WriteNumberValue(i);
                return;
            case uint ui:
                writer.WriteNumberValue(ui);
                return;
            case long l:
                writer.WriteStringValue(l.ToString(CultureInfo.InvariantCulture));
                return;
            case ulong ul:
                writer.WriteStringValue(ul.ToString(CultureInfo.InvariantCulture));
                return;
            case float f:
                WriteFloat(writer, f);
                return;
            case double d:
                WriteDouble(writer, d);
                return;
            case string text:
                writer.WriteStringValue(text);
                return;
            case DateTime time:
                WriteDateTime(writer, time);
                return;
            case Guid guid:
                writer.WriteStringValue(guid.ToString("D"));
                return;
            case byte[] bytes:
                writer.WriteBase64StringValue(bytes);
                return;
            case UaXmlElement xml:
                if (xml.Xml is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(xml.Xml);
                }

                return;
            case NodeId nodeId:
                writer.WriteStringValue(NodeIdText(nodeId, namespaces));
                return;
            case ExpandedNodeId expanded:
                writer.WriteStringValue(expanded.NamespaceUri is null && expanded.ServerIndex == 0 ? NodeIdText(expanded.NodeId, namespaces) : expanded.ToString());
                return;
            case StatusCode status:
                WriteStatusCode(writer, status);
                return;
            case QualifiedName name:
                writer.WriteStartObject();
                writer.WriteString("Name", name.Name);
                if (name.NamespaceIndex != 0)
                {
                    if (namespaces is not null && name.NamespaceIndex < namespaces.Count)
                    {
                        writer.WriteString("Uri", namespaces[name.NamespaceIndex]);
                    }
                    else
                    {
                        writer.WriteNumber("Uri", name.NamespaceIndex);
                    }
                }

                writer.WriteEndObject();
                return;
            case LocalizedText text:
                if (text.Text is null)
                {
                    writer.WriteNullValue();
                }
                else
                {
                    writer.WriteStringValue(text.Text);
                }

                return;
            case ExtensionObject extension:
                WriteExtensionObject(writer, extension, namespaces);
                return;
            case DataValue dataValue:
                WriteDataValue(writer, dataValue, namespaces);
                return;
            case Variant variant:
                WriteVariant(writer, variant, namespaces);
                return;
            case DiagnosticInfo info:
                WriteDiagnosticInfo(writer, info);
                return;
            default:
                writer.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                return;
        }
    }

    /// <summary>A DataValue: Value, StatusCode (left out when Good), SourceTimestamp, ServerTimestamp (left out when not set).</summary>
    public static void WriteDataValue(Utf8JsonWriter writer, in DataValue value, IReadOnlyList<string>? namespaces = null)
    {
        writer.WriteStartObject();
        WriteDataValueMembers(writer, value, namespaces);
        writer.WriteEndObject();
    }

    /// <summary>The members of <see cref="WriteDataValue"/> without the braces, for message layouts that add their own.</summary>
    public static void WriteDataValueMembers(Utf8JsonWriter writer, in DataValue value, IReadOnlyList<string>? namespaces = null)
    {
        if (!value.Value.IsNull)
        {
            writer.WritePropertyName("Value");
            WriteVariant(writer, value.Value, namespaces);
        }

        if (value.StatusCode.Code != 0)
        {
            writer.WritePropertyName("StatusCode");
            WriteStatusCode(writer, value.StatusCode);
        }

        if (value.SourceTimestamp.Ticks >= MinUaTicks)
        {
            writer.WritePropertyName("SourceTimestamp");
            WriteDateTime(writer, value.SourceTimestamp);
        }

        if (value.ServerTimestamp.Ticks >= MinUaTicks)
        {
            writer.WritePropertyName("ServerTimestamp");
            WriteDateTime(writer, value.ServerTimestamp);
        }
    }

    /// <summary><c>{"Code": 2150694912, "Symbol": "BadNoCommunication"}</c>; the symbol from the code bits, left out when unknown.</summary>
    public static void WriteStatusCode(Utf8JsonWriter writer, StatusCode status)
    {
        writer.WriteStartObject();
        writer.WriteNumber("Code", status.Code);
        if (SymbolOf(status) is { } symbol)
        {
            writer.WriteString("Symbol", symbol);
        }

        writer.WriteEndObject();
    }

    public static string? SymbolOf(StatusCode status) => (status.Code & 0xFFFF_0000) switch
    {
        0 => "Good",
        0x4000_0000 => "Uncertain",
        0x8000_0000 => "Bad",
        0x408F_0000 => "UncertainNoCommunicationLastUsableValue",
        0x4090_0000 => "UncertainLastUsableValue",
        0x8031_0000 => "BadNoCommunication",
        0x8032_0000 => "BadWaitingForInitialData",
        0x809D_0000 => "BadDataLost",
        _ => StatusCodes.NameOf(new StatusCode(status.Code & 0xFFFF_0000)),
    };

    /// <summary>ISO 8601 in UTC with 7 fractional digits at most (trailing zeros dropped), as .NET's "o" but always Z.</summary>
    public static void WriteDateTime(Utf8JsonWriter writer, DateTime time)
    {
        Span<char> text = stackalloc char[40];
        writer.WriteStringValue(text[..FormatDateTime(time, text)]);
    }

    public static int FormatDateTime(DateTime time, Span<char> destination)
    {
        if (time.Kind == DateTimeKind.Local)
        {
            time = time.ToUniversalTime();
        }

        if (time.Ticks < MinUaTicks)
        {
            "0001-01-01T00:00:00Z".CopyTo(destination);
            return 20;
        }

        if (time == DateTime.MaxValue)
        {
            "9999-12-31T23:59:59Z".CopyTo(destination);
            return 20;
        }

        time.TryFormat(destination, out var written, "yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        var fraction = (int)(time.Ticks % TimeSpan.TicksPerSecond);
        if (fraction != 0)
        {
            destination[written++] = '.';
            var digits = 7;
            while (fraction % 10 == 0)
            {
                fraction /= 10;
                digits--;
            }

            fraction.TryFormat(destination[written..], out var fractionWritten, "D" + digits.ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
            written += fractionWritten;
        }

        destination[written++] = 'Z';
        return written;
    }

    /// <summary>The NodeId's text form, with <c>nsu=</c> instead of <c>ns=</c> when the namespace table knows the index.</summary>
    public static string NodeIdText(NodeId nodeId, IReadOnlyList<string>? namespaces)
    {
        if (nodeId.NamespaceIndex == 0 || namespaces is null || nodeId.NamespaceIndex >= namespaces.Count)
        {
            return nodeId.ToString();
        }

        var text = nodeId.ToString();
        return "nsu=" + namespaces[nodeId.NamespaceIndex] + text[text.IndexOf(';', StringComparison.Ordinal)..];
    }

    private static void WriteFloat(Utf8JsonWriter writer, float value)
    {
        if (float.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(float.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteDouble(Utf8JsonWriter writer, double value)
    {
        if (double.IsFinite(value))
        {
            writer.WriteNumberValue(value);
        }
        else
        {
            writer.WriteStringValue(double.IsNaN(value) ? "NaN" : value > 0 ? "Infinity" : "-Infinity");
        }
    }

    private static void WriteMatrix(Utf8JsonWriter writer, BuiltInType type, Array flat, int[] dimensions, int level, ref int index, IReadOnlyList<string>? namespaces)
    {
        writer.WriteStartArray();
        for (var i = 0; i < dimensions[level]; i++)
        {
            if (level == dimensions.Length - 1)
            {
                WriteScalar(writer, type, index < flat.Length ? flat.GetValue(index) : null, namespaces);
                index++;
            }
            else
            {
                WriteMatrix(writer, type, flat, dimensions, level + 1, ref index, namespaces);
            }
        }

        writer.WriteEndArray();
    }

    private static void WriteExtensionObject(Utf8JsonWriter writer, ExtensionObject extension, IReadOnlyList<string>? namespaces)
    {
        if (extension.IsNull)
        {
            writer.WriteNullValue();
            return;
        }

        writer.WriteStartObject();
        writer.WriteString("TypeId", NodeIdText(extension.TypeId, namespaces));
        switch (extension.Body)
        {
            case byte[] bytes:
                writer.WriteBase64String("Body", bytes);
                break;
            case string xml:
                writer.WriteString("Body", xml);
                break;
            case IEncodeable encodeable:
                writer.WriteBase64String("Body", BinaryBody(encodeable));
                break;
            default:
                writer.WriteNull("Body");
                break;
        }

        writer.WriteEndObject();
    }

    private static byte[] BinaryBody(IEncodeable encodeable)
    {
        using var buffer = new ByteBuffer();
        var uaWriter = new UaWriter(buffer);
        encodeable.Encode(ref uaWriter);
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteDiagnosticInfo(Utf8JsonWriter writer, DiagnosticInfo info)
    {
        writer.WriteStartObject();
        if (info.SymbolicId is { } symbolicId)
        {
            writer.WriteNumber("SymbolicId", symbolicId);
        }

        if (info.NamespaceUri is { } namespaceUri)
        {
            writer.WriteNumber("NamespaceUri", namespaceUri);
        }

        if (info.Locale is { } locale)
        {
            writer.WriteNumber("Locale", locale);
        }

        if (info.LocalizedText is { } localizedText)
        {
            writer.WriteNumber("LocalizedText", localizedText);
        }

        if (info.AdditionalInfo is { } additional)
        {
            writer.WriteString("AdditionalInfo", additional);
        }

        if (info.InnerStatusCode is { } inner)
        {
            writer.WritePropertyName("InnerStatusCode");
            WriteStatusCode(writer, inner);
        }

        if (info.InnerDiagnosticInfo is { } innerInfo)
        {
            writer.WritePropertyName("InnerDiagnosticInfo");
            WriteDiagnosticInfo(writer, innerInfo);
        }

        writer.WriteEndObject();
    }
}
