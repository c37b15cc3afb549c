using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>
/// OPC PLC's user-defined nodes file (<c>--nf</c>):
/// <c>{"Folder": "MyTelemetry", "FolderList": [ {same shape} ], "NodeList": [{"NodeId": 1023 | "name" | "guid",
/// "Name", "DataType" (built-in type name, default Int32), "ValueRank" (-1), "AccessLevel" ("CurrentReadOrWrite"),
/// "Description", "Value"}]}</c>. Property names are case-insensitive, comments and trailing commas are allowed.
/// Unlike OPC PLC, which falls back to defaults, anything it cannot use is an error naming file, line, column and field.
/// </summary>
public sealed record UserNodesFolder(string Name, IReadOnlyList<UserNode> Nodes, IReadOnlyList<UserNodesFolder> Folders);

/// <summary>One user-defined variable.</summary>
public sealed record UserNode(
    object Identifier,
    string BrowseName,
    string DisplayName,
    string Description,
    BuiltInType DataType,
    int ValueRank,
    AccessLevel AccessLevel,
    Variant Value,
    int Line,
    int Column);

/// <summary>A nodes file that cannot be used: the message names file, line, column and the field.</summary>
public sealed class UserNodesFileException(string message, Exception? inner = null) : Exception(message, inner);

public static class UserNodesFile
{
    private static readonly BuiltInType[] SupportedTypes =
    [
        BuiltInType.Boolean, BuiltInType.SByte, BuiltInType.Byte, BuiltInType.Int16, BuiltInType.UInt16, BuiltInType.Int32,
        BuiltInType.UInt32, BuiltInType.Int64, BuiltInType.UInt64, BuiltInType.Float, BuiltInType.Double, BuiltInType.String,
        BuiltInType.DateTime, BuiltInType.Guid, BuiltInType.ByteString,
    ];

    private static readonly Dictionary<string, AccessLevel> AccessLevels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["None"] = AccessLevel.None,
        ["CurrentRead"] = AccessLevel.CurrentRead,
        ["CurrentWrite"] = AccessLevel.CurrentWrite,
        ["CurrentReadOrWrite"] = AccessLevel.CurrentRead | AccessLevel.CurrentWrite,
        ["HistoryRead"] = AccessLevel.HistoryRead,
        ["HistoryWrite"] = AccessLevel.HistoryWrite,
        ["HistoryReadOrWrite"] = AccessLevel.HistoryRead | AccessLevel.HistoryWrite,
        ["SemanticChange"] = AccessLevel.SemanticChange,
        ["StatusWrite"] = AccessLevel.StatusWrite,
        ["TimestampWrite"] = AccessLevel.TimestampWrite,
    };

    public static UserNodesFolder Load(string path)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new UserNodesFileException($"Nodes file '{path}' cannot be read: {ex.Message}", ex);
        }

        return Parse(bytes, path);
    }

    public static UserNodesFolder Parse(string json, string fileName = "nodes file") => Parse(Encoding.UTF8.GetBytes(json), fileName);

    public static UserNodesFolder Parse(byte[] utf8, string fileName)
    {
        if (utf8.AsSpan().StartsWith("\uFEFF"u8))
        {
            utf8 = utf8[3..];
        }

        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(utf8, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            root = document.RootElement.Clone();
        }
        catch (JsonException ex)
        {
            var line = (ex.LineNumber ?? 0) + 1;
            var column = (ex.BytePositionInLine ?? 0) + 1;
            throw new UserNodesFileException($"{fileName} line {line}, column {column}: invalid JSON: {FirstSentence(ex.Message)}", ex);
        }

        var positions = new PositionIndex(utf8);
        return new Reader(fileName, positions).Folder(root, "$");
    }

    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return end > 0 ? message[..end].TrimEnd('.') : message;
    }

    /// <summary>Maps JSON paths to the line and column where their value starts, by walking the document once.</summary>
    private sealed class PositionIndex
    {
        private readonly Dictionary<string, (int Line, int Column)> _positions = new(StringComparer.Ordinal);

        public PositionIndex(byte[] utf8)
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            var lineStarts = new List<int> { 0 };
            for (var i = 0; i < utf8.Length; i++)
            {
                if (utf8[i] == (byte)'\n')
                {
                    lineStarts.Add(i + 1);
                }
            }

            var path = new List<string>();
            var arrayIndexes = new Stack<int>();
            var containers = new Stack<bool>(); // true = array
            string? property = null;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        property = reader.GetString();
                        continue;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        containers.Pop();
                        if (reader.TokenType == JsonTokenType.EndArray)
                        {
                            arrayIndexes.Pop();
                        }

                        path.RemoveAt(path.Count - 1);
                        continue;
                }

                // A value starts here: name it by its property or array index.
                string segment;
                if (containers.Count == 0)
                {
                    segment = "$";
                }
                else if (containers.Peek())
                {
                    var index = arrayIndexes.Pop();
                    arrayIndexes.Push(index + 1);
                    segment = $"[{index}]";
                }
                else
                {
                    segment = "." + (property ?? string.Empty).ToLowerInvariant();
                }

                var full = string.Concat(path) + segment;
                _positions[full] = Locate(lineStarts, (int)reader.TokenStartIndex);
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    path.Add(segment);
                    containers.Push(reader.TokenType == JsonTokenType.StartArray);
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        arrayIndexes.Push(0);
                    }
                }
            }
        }

        public (int Line, int Column) Of(string path) => _positions.GetValueOrDefault(path.ToLowerInvariant(), (1, 1));

        private static (int, int) Locate(List<int> lineStarts, int offset)
        {
            var line = lineStarts.BinarySearch(offset);
            line = line >= 0 ? line : ~line - 1;
            return (line + 1, offset - lineStarts[line] + 1);
        }
    }

    private sealed class Reader(string fileName, PositionIndex positions)
    {
        public UserNodesFolder Folder(JsonElement element, string path)
        {
            Expect(element, JsonValueKind.Object, path, "a folder object {\"Folder\": ..., \"NodeList\": [...]}");
            var name = Property(element, "Folder");
            if (name is not { ValueKind: JsonValueKind.String } || string.IsNullOrWhiteSpace(name.Value.GetString()))
            {
                throw Fail(path + ".Folder", "\"Folder\" must name the folder (a non-empty string)");
            }

            var nodes = new List<UserNode>();
            if (Property(element, "NodeList") is { } list && list.ValueKind != JsonValueKind.Null)
            {
                Expect(list, JsonValueKind.Array, path + ".NodeList", "an array of nodes");
                var index = 0;
                foreach (var item in list.EnumerateArray())
                {
                    nodes.Add(Node(item, $"{path}.NodeList[{index++}]"));
                }
            }

            var folders = new List<UserNodesFolder>();
            if (Property(element, "FolderList") is { } children && children.ValueKind != JsonValueKind.Null)
            {
                Expect(children, JsonValueKind.Array, path + ".FolderList", "an array of folders");
                var index = 0;
                foreach (var child in children.EnumerateArray())
                {
                    folders.Add(Folder(child, $"{path}.FolderList[{index++}]"));
                }
            }

            return new UserNodesFolder(name.Value.GetString()!, nodes, folders);
        }

        private UserNode Node(JsonElement element, string path)
        {
            Expect(element, JsonValueKind.Object, path, "a node object {\"NodeId\": ...}");
            var idElement = Property(element, "NodeId") ?? throw Fail(path, "\"NodeId\" is required");
            object identifier;
            string idText;
            switch (idElement.ValueKind)
            {
                case JsonValueKind.Number when idElement.TryGetUInt32(out var numeric):
                    identifier = numeric;
                    idText = numeric.ToString(CultureInfo.InvariantCulture);
                    break;
                case JsonValueKind.String when !string.IsNullOrEmpty(idElement.GetString()):
                    var text = idElement.GetString()!;
                    identifier = Guid.TryParse(text, out var guid) ? guid : text;
                    idText = text;
                    break;
                default:
                    throw Fail(path + ".NodeId", $"\"NodeId\" must be a whole number 0-{uint.MaxValue} or a non-empty string, not {idElement.GetRawText()}");
            }

            var typed = identifier switch
            {
                uint n => "i=" + n.ToString(CultureInfo.InvariantCulture),
                Guid g => "g=" + g.ToString("D"),
                _ => "s=" + idText,
            };
            var name = OptionalString(element, "Name", path) is { Length: > 0 } given ? given : typed;
            var description = OptionalString(element, "Description", path) is { Length: > 0 } text2 ? text2 : name;

            var dataType = BuiltInType.Int32;
            if (OptionalString(element, "DataType", path) is { Length: > 0 } typeName)
            {
                if (!Enum.TryParse(typeName, ignoreCase: true, out dataType) || !SupportedTypes.Contains(dataType) || int.TryParse(typeName, out _))
                {
                    throw Fail(path + ".DataType", $"'{typeName}' is not a supported data type ({string.Join(", ", SupportedTypes)})");
                }
            }

            var valueRank = -1;
            if (Property(element, "ValueRank") is { ValueKind: not JsonValueKind.Null } rankElement)
            {
                if (!TryGetInt(rankElement, out valueRank) || valueRank is < -3 or > 1)
                {
                    throw Fail(path + ".ValueRank", $"\"ValueRank\" must be -1 (scalar), 1 (array), 0, -2 or -3, not {rankElement.GetRawText()}");
                }
            }

            var access = AccessLevel.CurrentRead | AccessLevel.CurrentWrite;
            if (OptionalString(element, "AccessLevel", path) is { Length: > 0 } accessName && !AccessLevels.TryGetValue(accessName, out access))
            {
                throw Fail(path + ".AccessLevel", $"'{accessName}' is not an access level ({string.Join(", ", AccessLevels.Keys)})");
            }

            var value = Property(element, "Value") is { ValueKind: not JsonValueKind.Null } valueElement
                ? Value(valueElement, dataType, valueRank, path + ".Value")
                : DefaultValue(dataType, valueRank);
            var (line, column) = positions.Of(path);
            // OPC PLC's browse name is the identifier (the display name for GUIDs); the display name is "Name".
            return new UserNode(identifier, identifier is Guid ? name : idText, name, description, dataType, valueRank, access, value, line, column);
        }

        private Variant Value(JsonElement element, BuiltInType type, int valueRank, string path)
        {
            var isArrayRank = valueRank is 1 or 0;
            if (element.ValueKind == JsonValueKind.Array)
            {
                if (valueRank == -1)
                {
                    throw Fail(path, "is an array, but the node is a scalar (ValueRank -1)");
                }

                var items = element.EnumerateArray().Select((item, i) => Scalar(item, type, $"{path}[{i}]")).ToList();
                var array = Array.CreateInstance(ClrType(type), items.Count);
                for (var i = 0; i < items.Count; i++)
                {
                    array.SetValue(items[i].Value, i);
                }

                return Variant.FromArray(type, array);
            }

            if (isArrayRank)
            {
                throw Fail(path, $"must be an array for ValueRank {valueRank}");
            }

            return Scalar(element, type, path);
        }

        private Variant Scalar(JsonElement element, BuiltInType type, string path)
        {
            Variant? value = type switch
            {
                BuiltInType.Boolean when element.ValueKind is JsonValueKind.True or JsonValueKind.False => new Variant(element.GetBoolean()),
                BuiltInType.SByte when Integer(element, sbyte.MinValue, sbyte.MaxValue) is { } v => new Variant((sbyte)v),
                BuiltInType.Byte when Integer(element, byte.MinValue, byte.MaxValue) is { } v => new Variant((byte)v),
                BuiltInType.Int16 when Integer(element, short.MinValue, short.MaxValue) is { } v => new Variant((short)v),
                BuiltInType.UInt16 when Integer(element, ushort.MinValue, ushort.MaxValue) is { } v => new Variant((ushort)v),
                BuiltInType.Int32 when Integer(element, int.MinValue, int.MaxValue) is { } v => new Variant((int)v),
                BuiltInType.UInt32 when Integer(element, uint.MinValue, uint.MaxValue) is { } v => new Variant((uint)v),
                BuiltInType.Int64 when Integer(element, long.MinValue, long.MaxValue) is { } v => new Variant(v),
                BuiltInType.UInt64 when element.ValueKind == JsonValueKind.Number && element.TryGetUInt64(out var u) => new Variant(u),
                BuiltInType.Float when Real(element) is { } d && float.IsFinite((float)d) => new Variant((float)d),
                BuiltInType.Double when Real(element) is { } d => new Variant(d),
                BuiltInType.String when element.ValueKind == JsonValueKind.String => new Variant(element.GetString()),
                BuiltInType.DateTime when element.ValueKind == JsonValueKind.String
                    && DateTime.TryParse(element.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
                    => new Variant(DateTime.SpecifyKind(t, DateTimeKind.Utc)),
                BuiltInType.Guid when element.ValueKind == JsonValueKind.String && Guid.TryParse(element.GetString(), out var g) => new Variant(g),
                BuiltInType.ByteString when element.ValueKind == JsonValueKind.String && element.TryGetBytesFromBase64(out var bytes) => new Variant(bytes),
                // (Variant?) so null does not become a null String through Variant's implicit conversion.
                _ => (Variant?)null,
            };
            return value ?? throw Fail(path, $"{element.GetRawText()} is not a {type} value{Hint(type)}");
        }

        private static string Hint(BuiltInType type) => type switch
        {
            BuiltInType.DateTime => " (an ISO 8601 date and time in a string)",
            BuiltInType.ByteString => " (base64 in a string)",
            BuiltInType.Guid => " (a GUID in a string)",
            BuiltInType.String => " (a string)",
            BuiltInType.Boolean => " (true or false)",
            _ => " in range",
        };

        private static long? Integer(JsonElement element, long min, long max)
        {
            if (element.ValueKind == JsonValueKind.String
                && long.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var fromText))
            {
                return fromText >= min && fromText <= max ? fromText : null;
            }

            return element.ValueKind == JsonValueKind.Number && element.TryGetInt64(out var v) && v >= min && v <= max ? v : null;
        }

        private static double? Real(JsonElement element)
        {
            if (element.ValueKind == JsonValueKind.String
                && double.TryParse(element.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out var fromText))
            {
                return double.IsFinite(fromText) ? fromText : null;
            }

            return element.ValueKind == JsonValueKind.Number && element.TryGetDouble(out var v) && double.IsFinite(v) ? v : null;
        }

        private static bool TryGetInt(JsonElement element, out int value)
        {
            value = 0;
            return element.ValueKind == JsonValueKind.Number ? element.TryGetInt32(out value)
                : element.ValueKind == JsonValueKind.String && int.TryParse(element.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value);
        }

        private string? OptionalString(JsonElement element, string name, string path)
        {
            if (Property(element, name) is not { } value || value.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            return value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                // OPC PLC reads numbers into these text fields as their text.
                JsonValueKind.Number => value.GetRawText(),
                _ => throw Fail($"{path}.{name}", $"\"{name}\" must be a string, not {value.GetRawText()}"),
            };
        }

        private static JsonElement? Property(JsonElement element, string name)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
                {
                    return property.Value;
                }
            }

            return null;
        }

        private void Expect(JsonElement element, JsonValueKind kind, string path, string what)
        {
            if (element.ValueKind != kind)
            {
                throw Fail(path, $"must be {what}, not {element.GetRawText()}");
            }
        }

        private UserNodesFileException Fail(string path, string problem)
        {
            var (line, column) = positions.Of(path);
            return new UserNodesFileException($"{fileName} line {line}, column {column} ({path}): {problem}.");
        }
    }

    internal static Variant DefaultValue(BuiltInType type, int valueRank)
    {
        if (valueRank is 1 or 0)
        {
            return Variant.FromArray(type, Array.CreateInstance(ClrType(type), 0));
        }

        return type switch
        {
            BuiltInType.Boolean => new Variant(false),
            BuiltInType.SByte => new Variant((sbyte)0),
            BuiltInType.Byte => new Variant((byte)0),
            BuiltInType.Int16 => new Variant((short)0),
            BuiltInType.UInt16 => new Variant((ushort)0),
            BuiltInType.Int32 => new Variant(0),
            BuiltInType.UInt32 => new Variant(0u),
            BuiltInType.Int64 => new Variant(0L),
            BuiltInType.UInt64 => new Variant(0UL),
            BuiltInType.Float => new Variant(0f),
            BuiltInType.Double => new Variant(0.0),
            BuiltInType.String => new Variant((string?)null),
            BuiltInType.DateTime => new Variant(DateTime.MinValue),
            BuiltInType.Guid => new Variant(Guid.Empty),
            _ => new Variant((byte[]?)null),
        };
    }

    private static Type ClrType(BuiltInType type) => type switch
    {
        BuiltInType.Boolean => typeof(bool),
        BuiltInType.SByte => typeof(sbyte),
        BuiltInType.Byte => typeof(byte),
        BuiltInType.Int16 => typeof(short),
        BuiltInType.UInt16 => typeof(ushort),
        BuiltInType.Int32 => typeof(int),
        BuiltInType.UInt32 => typeof(uint),
        BuiltInType.Int64 => typeof(long),
        BuiltInType.UInt64 => typeof(ulong),
        BuiltInType.Float => typeof(float),
        BuiltInType.Double => typeof(double),
        BuiltInType.String => typeof(string),
        BuiltInType.DateTime => typeof(DateTime),
        BuiltInType.Guid => typeof(Guid),
        _ => typeof(byte[]),
    };
}
