using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPublisher.Configuration;

/// <summary>
/// Reads OPC Publisher's published-nodes JSON (an array of entries, field names in any case, comments and trailing
/// commas allowed) into <see cref="PublishedNodesEntry"/> records. Every problem is a
/// <see cref="PublishedNodesException"/> naming the file, the line and column and the field. Integers given as
/// strings and booleans as "true"/"false" are accepted as OPC Publisher does; unknown fields are ignored.
/// </summary>
public sealed class PublishedNodesParser
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true, MaxDepth = 64 };

    // Fields OPC Publisher knows that this publisher accepts but does not act on: a warning, not an error.
    private static readonly HashSet<string> AcceptedButIgnored = new(StringComparer.OrdinalIgnoreCase)
    {
        "Version", "LastChangeTimespan", "LastChangeDateTime", "DataSetName", "DataSetDescription", "DataSetClassId",
        "DataSetFetchDisplayNames", "MetaDataUpdateTime", "MetaDataUpdateTimeTimespan", "MetaDataQueueName",
        "SendKeepAliveDataSetMessages", "WriterGroupTransport", "WriterGroupQualityOfService", "WriterGroupPartitions",
        "WriterGroupMessageRetention", "WriterGroupMessageTtlTimespan", "QualityOfService", "MessageRetention",
        "MessageTtlTimespan", "QueueName", "UseReverseConnect", "DisableSubscriptionTransfer", "RepublishAfterTransfer",
        "DataSetWriterWatchdogBehavior", "OpcNodeWatchdogTimespan", "OpcNodeWatchdogCondition", "Tag",
        "DataSetClassFieldId", "FetchDisplayName", "RegisterNode", "UseCyclicRead", "AttributeId", "ModelChangeHandling",
        "CyclicReadMaxAgeTimespan", "HeartbeatBehavior", "TriggeredNodes",
    };

    private readonly string _source;
    private readonly int[] _lineStarts;
    private readonly List<string> _warnings = [];

    private PublishedNodesParser(string source, ReadOnlySpan<byte> json)
    {
        _source = source;
        var starts = new List<int> { 0 };
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] == (byte)'\n')
            {
                starts.Add(i + 1);
            }
        }

        _lineStarts = [.. starts];
    }

    /// <summary>Parses a whole file's content. <paramref name="source"/> names it in errors (a path or URL).</summary>
    /// <exception cref="PublishedNodesException">The JSON is malformed or a field is invalid.</exception>
    public static PublishedNodesDocument Parse(ReadOnlySpan<byte> json, string source)
    {
        // A UTF-8 byte order mark is allowed, as editors write it.
        if (json.StartsWith("\uFEFF"u8))
        {
            json = json[3..];
        }

        if (json.Trim(" \t\r\n"u8).IsEmpty)
        {
            throw new PublishedNodesException(source, new SourcePosition(1, 1), string.Empty, "the file is empty; expected a JSON array of entries");
        }

        var parser = new PublishedNodesParser(source, json);
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            var entries = parser.ReadDocument(ref reader);
            return new PublishedNodesDocument(entries, parser._warnings);
        }
        catch (JsonException ex)
        {
            var position = ex.LineNumber is { } line ? new SourcePosition((int)line + 1, (int)(ex.BytePositionInLine ?? 0) + 1) : (SourcePosition?)null;
            throw new PublishedNodesException(source, position, string.Empty, "malformed JSON: " + FirstSentence(ex.Message), ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            // A value the reader cannot convert (e.g. an escaped lone surrogate in a string).
            throw new PublishedNodesException(source, parser.PositionOf(ref reader), string.Empty, "unreadable value: " + FirstSentence(ex.Message), ex);
        }
    }

    /// <summary>Parses one entry (an API request body).</summary>
    public static PublishedNodesEntry ParseEntry(ReadOnlySpan<byte> json, string source, bool requireNodes)
    {
        var parser = new PublishedNodesParser(source, json);
        var reader = new Utf8JsonReader(json, ReaderOptions);
        try
        {
            reader.Read();
            var entry = parser.ReadEntry(ref reader, string.Empty);
            if (requireNodes && entry.OpcNodes.Count == 0)
            {
                throw new PublishedNodesException(source, entry.Position, "OpcNodes", "at least one node is required");
            }

            return entry;
        }
        catch (JsonException ex)
        {
            var position = ex.LineNumber is { } line ? new SourcePosition((int)line + 1, (int)(ex.BytePositionInLine ?? 0) + 1) : (SourcePosition?)null;
            throw new PublishedNodesException(source, position, string.Empty, "malformed JSON: " + FirstSentence(ex.Message), ex);
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException or OverflowException)
        {
            // A value the reader cannot convert (e.g. an escaped lone surrogate in a string).
            throw new PublishedNodesException(source, parser.PositionOf(ref reader), string.Empty, "unreadable value: " + FirstSentence(ex.Message), ex);
        }
    }

    private List<PublishedNodesEntry> ReadDocument(ref Utf8JsonReader reader)
    {
        if (!reader.Read())
        {
            throw Error(ref reader, string.Empty, "the file is empty; expected a JSON array of entries");
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(ref reader, string.Empty, $"expected a JSON array of entries, found {Describe(ref reader)}");
        }

        var entries = new List<PublishedNodesEntry>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            entries.Add(ReadEntry(ref reader, $"[{entries.Count}]"));
        }

        if (reader.Read())
        {
            throw Error(ref reader, string.Empty, "unexpected content after the array of entries");
        }

        return entries;
    }

    private PublishedNodesEntry ReadEntry(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref reader, path, $"expected an entry object, found {Describe(ref reader)}");
        }

        var start = PositionOf(ref reader);
        string? endpointUrl = null, writerGroup = null, writerId = null, securityMode = null, securityPolicy = null, user = null, password = null;
        bool useSecurity = false;
        var authentication = AuthenticationMode.Anonymous;
        TimeSpan? publishing = null, publishingTimespan = null, sampling = null, samplingTimespan = null, batchInterval = null, batchIntervalTimespan = null;
        uint? keyFrames = null;
        int? batchSize = null;
        MessagingMode? mode = null;
        Dictionary<string, string>? extensionFields = null;
        List<OpcNode> nodes = [];

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var field = Join(path, name);
            reader.Read();
            switch (name.ToLowerInvariant())
            {
                case "endpointurl": endpointUrl = ReadString(ref reader, field); break;
                case "usesecurity": useSecurity = ReadBool(ref reader, field); break;
                case "endpointsecuritymode": securityMode = ReadChoice(ref reader, field, ["None", "Sign", "SignAndEncrypt", "Best"]); break;
                case "endpointsecuritypolicy": securityPolicy = ReadString(ref reader, field); break;
                case "opcauthenticationmode": authentication = ReadEnum<AuthenticationMode>(ref reader, field); break;
                case "opcauthenticationusername" or "username": user = ReadString(ref reader, field); break;
                case "opcauthenticationpassword" or "password": password = ReadString(ref reader, field); break;
                case "datasetwritergroup": writerGroup = ReadString(ref reader, field); break;
                case "datasetwriterid": writerId = ReadString(ref reader, field); break;
                case "datasetpublishinginterval": publishing = ReadMilliseconds(ref reader, field); break;
                case "datasetpublishingintervaltimespan": publishingTimespan = ReadTimeSpan(ref reader, field); break;
                case "datasetsamplinginterval": sampling = ReadMilliseconds(ref reader, field); break;
                case "datasetsamplingintervaltimespan": samplingTimespan = ReadTimeSpan(ref reader, field); break;
                case "datasetkeyframecount": keyFrames = (uint?)ReadInteger(ref reader, field, 0, uint.MaxValue); break;
                case "datasetextensionfields": extensionFields = ReadExtensionFields(ref reader, field); break;
                case "messagingmode": mode = ReadMessagingMode(ref reader, field); break;
                case "messageencoding": ReadEncoding(ref reader, field); break;
                case "batchsize": batchSize = (int?)ReadInteger(ref reader, field, 1, 100_000); break;
                case "batchtriggerinterval": batchInterval = ReadMilliseconds(ref reader, field); break;
                case "batchtriggerintervaltimespan": batchIntervalTimespan = ReadTimeSpan(ref reader, field); break;
                case "opcnodes": nodes = ReadNodes(ref reader, field); break;
                default: Ignore(ref reader, field, name); break;
            }
        }

        if (endpointUrl is null)
        {
            throw new PublishedNodesException(_source, start, Join(path, "EndpointUrl"), "is required");
        }

        if (!Uri.TryCreate(endpointUrl, UriKind.Absolute, out var uri) || uri.Scheme != "opc.tcp" || string.IsNullOrEmpty(uri.Host))
        {
            throw new PublishedNodesException(_source, start, Join(path, "EndpointUrl"), $"'{endpointUrl}' is not an opc.tcp://host:port URL");
        }

        if (authentication == AuthenticationMode.UsernamePassword && string.IsNullOrEmpty(user))
        {
            throw new PublishedNodesException(_source, start, Join(path, "OpcAuthenticationUsername"), "is required when OpcAuthenticationMode is UsernamePassword");
        }

        return new PublishedNodesEntry
        {
            EndpointUrl = endpointUrl,
            UseSecurity = useSecurity,
            EndpointSecurityMode = securityMode,
            EndpointSecurityPolicy = securityPolicy,
            OpcAuthenticationMode = authentication,
            OpcAuthenticationUsername = user,
            OpcAuthenticationPassword = password,
            DataSetWriterGroup = writerGroup,
            DataSetWriterId = writerId,
            DataSetPublishingInterval = publishingTimespan ?? publishing,
            DataSetSamplingInterval = samplingTimespan ?? sampling,
            DataSetKeyFrameCount = keyFrames,
            DataSetExtensionFields = extensionFields,
            MessagingMode = mode,
            BatchSize = batchSize,
            BatchTriggerInterval = batchIntervalTimespan ?? batchInterval,
            OpcNodes = nodes,
            Position = start,
        };
    }

    private List<OpcNode> ReadNodes(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Error(ref reader, path, $"expected an array of nodes, found {Describe(ref reader)}");
        }

        var nodes = new List<OpcNode>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            nodes.Add(ReadNode(ref reader, $"{path}[{nodes.Count}]"));
        }

        return nodes;
    }

    private OpcNode ReadNode(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref reader, path, $"expected a node object, found {Describe(ref reader)}");
        }

        var start = PositionOf(ref reader);
        string? id = null, expandedId = null, displayName = null, fieldId = null, indexRange = null;
        SourcePosition? idAt = null;
        TimeSpan? sampling = null, samplingTimespan = null, publishing = null, publishingTimespan = null, heartbeat = null, heartbeatTimespan = null;
        bool skipFirst = false, discardNew = false;
        uint? queueSize = null;
        DataChangeTrigger? trigger = null;
        DeadbandType? deadbandType = null;
        double? deadbandValue = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var field = Join(path, name);
            reader.Read();
            switch (name.ToLowerInvariant())
            {
                case "id":
                    idAt = PositionOf(ref reader);
                    id = ReadNodeId(ref reader, field);
                    break;
                case "expandednodeid":
                    idAt ??= PositionOf(ref reader);
                    expandedId = ReadNodeId(ref reader, field);
                    break;
                case "opcsamplinginterval": sampling = ReadMilliseconds(ref reader, field, allowNegative: true); break;
                case "opcsamplingintervaltimespan": samplingTimespan = ReadTimeSpan(ref reader, field); break;
                case "opcpublishinginterval": publishing = ReadMilliseconds(ref reader, field); break;
                case "opcpublishingintervaltimespan": publishingTimespan = ReadTimeSpan(ref reader, field); break;
                case "displayname": displayName = ReadString(ref reader, field); break;
                case "datasetfieldid": fieldId = ReadString(ref reader, field); break;
                case "heartbeatinterval": heartbeat = ReadInteger(ref reader, field, 0, 86_400_000) is { } seconds ? TimeSpan.FromSeconds(seconds) : null; break;
                case "heartbeatintervaltimespan": heartbeatTimespan = ReadTimeSpan(ref reader, field); break;
                case "skipfirst": skipFirst = ReadBool(ref reader, field); break;
                case "discardnew": discardNew = ReadBool(ref reader, field); break;
                case "queuesize": queueSize = (uint?)ReadInteger(ref reader, field, 0, uint.MaxValue); break;
                case "datachangetrigger": trigger = ReadEnum<DataChangeTrigger>(ref reader, field); break;
                case "deadbandtype": deadbandType = ReadEnum<DeadbandType>(ref reader, field); break;
                case "deadbandvalue": deadbandValue = ReadDouble(ref reader, field); break;
                case "indexrange": indexRange = ReadString(ref reader, field); break;
                case "browsepath":
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        throw Error(ref reader, field, "browse paths are not supported; give the node's Id");
                    }

                    break;
                case "eventfilter":
                case "conditionhandling":
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        throw Error(ref reader, field, "events and conditions are not supported (data changes only)");
                    }

                    break;
                default: Ignore(ref reader, field, name); break;
            }
        }

        var nodeId = id ?? expandedId ?? throw new PublishedNodesException(_source, start, Join(path, "Id"), "is required (or ExpandedNodeId)");
        if (deadbandType is { } type and not DeadbandType.None)
        {
            if (deadbandValue is not { } value || value < 0)
            {
                throw new PublishedNodesException(_source, start, Join(path, "DeadbandValue"), $"must be set and not negative when DeadbandType is {type}");
            }

            if (type == DeadbandType.Percent && value > 100)
            {
                throw new PublishedNodesException(_source, start, Join(path, "DeadbandValue"), "a percent deadband must be between 0 and 100");
            }
        }

        return new OpcNode
        {
            Id = nodeId,
            OpcSamplingInterval = samplingTimespan ?? sampling,
            OpcPublishingInterval = publishingTimespan ?? publishing,
            DisplayName = displayName,
            DataSetFieldId = fieldId,
            HeartbeatInterval = heartbeatTimespan ?? heartbeat,
            SkipFirst = skipFirst,
            QueueSize = queueSize,
            DiscardNew = discardNew,
            DataChangeTrigger = trigger,
            DeadbandType = deadbandType,
            DeadbandValue = deadbandValue,
            IndexRange = indexRange,
            Position = idAt ?? start,
        };
    }

    /// <summary>
    /// The node id forms OPC Publisher takes: NodeId (<c>i=2258</c>, <c>ns=3;s=StepUp</c>), ExpandedNodeId
    /// (<c>nsu=uri;s=StepUp</c>) and its own <c>uri#s=StepUp</c>, kept as written after checking.
    /// </summary>
    private string ReadNodeId(ref Utf8JsonReader reader, string field)
    {
        var text = ReadString(ref reader, field);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw Error(ref reader, field, "must not be empty");
        }

        return TryNormalizeNodeId(text, out _) ? text : throw Error(ref reader, field, $"'{text}' is not a NodeId (ns=3;s=Name), an ExpandedNodeId (nsu=uri;s=Name) or uri#s=Name");
    }

    /// <summary>Parses any accepted node id text into an <see cref="ExpandedNodeId"/>.</summary>
    public static bool TryNormalizeNodeId(string text, out ExpandedNodeId id)
    {
        if (ExpandedNodeId.TryParse(text, out id))
        {
            return true;
        }

        // OPC Publisher's own form: {NamespaceUri}#{NodeIdentifier}
        var hash = text.LastIndexOf('#');
        if (hash > 0 && ExpandedNodeId.TryParse(text[(hash + 1)..], out var local) && local.NamespaceUri is null && local.NodeId.NamespaceIndex == 0)
        {
            id = new ExpandedNodeId(local.NodeId, text[..hash]);
            return true;
        }

        return false;
    }

    private Dictionary<string, string>? ReadExtensionFields(ref Utf8JsonReader reader, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Error(ref reader, field, $"expected an object of name/value pairs, found {Describe(ref reader)}");
        }

        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            using var value = JsonDocument.ParseValue(ref reader);
            fields[name] = value.RootElement.GetRawText();
        }

        return fields;
    }

    private MessagingMode? ReadMessagingMode(ref Utf8JsonReader reader, string field)
    {
        var text = ReadString(ref reader, field);
        return text?.ToLowerInvariant() switch
        {
            null => null,
            "pubsub" or "fullnetworkmessages" => OpcPublisher.MessagingMode.PubSub,
            "samples" or "fullsamples" => OpcPublisher.MessagingMode.Samples,
            _ => throw Error(ref reader, field, $"'{text}' is not supported; use PubSub, FullNetworkMessages, Samples or FullSamples"),
        };
    }

    private void ReadEncoding(ref Utf8JsonReader reader, string field)
    {
        var text = ReadString(ref reader, field);
        if (text is not null && !text.Equals("Json", StringComparison.OrdinalIgnoreCase))
        {
            throw Error(ref reader, field, $"'{text}' is not supported; messages are encoded as Json");
        }
    }

    private void Ignore(ref Utf8JsonReader reader, string field, string name)
    {
        if (AcceptedButIgnored.Contains(name) && reader.TokenType is not (JsonTokenType.Null or JsonTokenType.False))
        {
            _warnings.Add($"{_source}: {PositionOf(ref reader)}: {field} is accepted but has no effect in this publisher.");
        }

        reader.Skip();
    }

    private string? ReadString(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.Null => null,
        JsonTokenType.String => reader.GetString(),
        _ => throw Error(ref reader, field, $"expected a string, found {Describe(ref reader)}"),
    };

    private bool ReadBool(ref Utf8JsonReader reader, string field) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False or JsonTokenType.Null => false,
        JsonTokenType.String when bool.TryParse(reader.GetString(), out var value) => value,
        _ => throw Error(ref reader, field, $"expected true or false, found {Describe(ref reader)}"),
    };

    private long? ReadInteger(ref Utf8JsonReader reader, string field, long min, long max)
    {
        long value;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetInt64(out value):
                break;
            case JsonTokenType.String when long.TryParse(reader.GetString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out value):
                break;
            default:
                throw Error(ref reader, field, $"expected a whole number, found {Describe(ref reader)}");
        }

        return value < min || value > max ? throw Error(ref reader, field, $"{value} is out of range ({min} to {max})") : value;
    }

    private double? ReadDouble(ref Utf8JsonReader reader, string field)
    {
        double value;
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.Number when reader.TryGetDouble(out value) && double.IsFinite(value):
                return value;
            case JsonTokenType.String when double.TryParse(reader.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && double.IsFinite(value):
                return value;
            default:
                throw Error(ref reader, field, $"expected a finite number, found {Describe(ref reader)}");
        }
    }

    private TimeSpan? ReadMilliseconds(ref Utf8JsonReader reader, string field, bool allowNegative = false)
    {
        var value = ReadInteger(ref reader, field, allowNegative ? -1 : 0, 86_400_000);
        return value is { } ms ? TimeSpan.FromMilliseconds(ms) : null;
    }

    private TimeSpan? ReadTimeSpan(ref Utf8JsonReader reader, string field)
    {
        var text = ReadString(ref reader, field);
        if (text is null)
        {
            return null;
        }

        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) && value >= TimeSpan.Zero
            ? value
            : throw Error(ref reader, field, $"'{text}' is not a duration like 00:00:01.500 ([d.]hh:mm:ss[.fff])");
    }

    private string ReadChoice(ref Utf8JsonReader reader, string field, string[] choices)
    {
        var text = ReadString(ref reader, field) ?? choices[0];
        return choices.FirstOrDefault(c => c.Equals(text, StringComparison.OrdinalIgnoreCase))
            ?? throw Error(ref reader, field, $"'{text}' is not one of {string.Join(", ", choices)}");
    }

    private T ReadEnum<T>(ref Utf8JsonReader reader, string field)
        where T : struct, Enum
    {
        if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var number) && number >= 0 && Enum.IsDefined(typeof(T), Enum.ToObject(typeof(T), number)))
        {
            return (T)Enum.ToObject(typeof(T), number);
        }

        if (reader.TokenType == JsonTokenType.String && reader.GetString() is { } text && !text.Any(char.IsDigit) && Enum.TryParse<T>(text, ignoreCase: true, out var value))
        {
            return value;
        }

        throw Error(ref reader, field, $"expected one of {string.Join(", ", Enum.GetNames<T>())}, found {Describe(ref reader)}");
    }

    private PublishedNodesException Error(ref Utf8JsonReader reader, string field, string problem) =>
        new(_source, PositionOf(ref reader), field, problem);

    private SourcePosition PositionOf(ref Utf8JsonReader reader)
    {
        var offset = (int)reader.TokenStartIndex;
        var line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0)
        {
            line = ~line - 1;
        }

        return new SourcePosition(line + 1, offset - _lineStarts[line] + 1);
    }

    private static string Describe(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => '"' + Truncate(reader.GetString() ?? string.Empty) + '"',
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        JsonTokenType.True => "true",
        JsonTokenType.False => "false",
        JsonTokenType.Null => "null",
        JsonTokenType.StartObject => "an object",
        JsonTokenType.StartArray => "an array",
        _ => reader.TokenType.ToString(),
    };

    private static string Truncate(string text) => text.Length <= 60 ? text : text[..57] + "...";

    private static string Join(string path, string name) => path.Length == 0 ? name : path + "." + name;

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
