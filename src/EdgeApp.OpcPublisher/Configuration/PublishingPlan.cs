using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPublisher.Configuration;

/// <summary>
/// The published-nodes entries grouped the way OPC Publisher groups them: one session per endpoint (URL, security
/// and user), one subscription per data set writer (writer group, DataSetWriterId and effective publishing interval),
/// and the settings of every monitored item resolved from node, entry and publisher defaults.
/// </summary>
public static class PublishingPlan
{
    public static IReadOnlyList<EndpointPlan> Build(IReadOnlyList<PublishedNodesEntry> entries, OpcPublisherOptions options)
    {
        var endpoints = new List<(EndpointIdentity Identity, Dictionary<WriterKey, WriterBuilder> Writers)>();
        var groups = new Dictionary<string, GroupSettings>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            var identity = EndpointIdentity.Of(entry);
            var endpoint = endpoints.FirstOrDefault(e => e.Identity == identity);
            if (endpoint.Identity is null)
            {
                endpoint = (identity, new Dictionary<WriterKey, WriterBuilder>());
                endpoints.Add(endpoint);
            }

            var group = entry.DataSetWriterGroup ?? entry.EndpointUrl;

            // Writer group settings: the first entry of the group wins (as in OPC Publisher).
            if (!groups.TryGetValue(group, out var settings))
            {
                settings = new GroupSettings(
                    entry.MessagingMode ?? options.MessagingMode,
                    entry.BatchSize ?? options.BatchSize,
                    entry.BatchTriggerInterval ?? TimeSpan.FromMilliseconds(options.BatchTriggerIntervalMs));
                groups[group] = settings;
            }

            foreach (var node in entry.OpcNodes)
            {
                var publishing = node.OpcPublishingInterval ?? entry.DataSetPublishingInterval ?? TimeSpan.FromMilliseconds(options.DefaultPublishingIntervalMs);
                var key = new WriterKey(group, entry.DataSetWriterId ?? string.Empty, publishing);
                if (!endpoint.Writers.TryGetValue(key, out var writer))
                {
                    writer = new WriterBuilder(key, settings, entry);
                    endpoint.Writers[key] = writer;
                }

                writer.KeyFrameCount ??= entry.DataSetKeyFrameCount;
                writer.ExtensionFields ??= entry.DataSetExtensionFields;
                var plan = NodePlan.Of(node, entry, publishing, options);
                writer.Nodes.Remove(plan.Key); // the same node twice in a writer: the later one wins
                writer.Nodes[plan.Key] = plan;
            }
        }

        // Numeric ids and names are unique within a writer group across all endpoints: a group that spans endpoints
        // (or one URL with two users) must not give consumers two writers with one id and interleaved sequence numbers.
        var groupWriters = new Dictionary<string, GroupWriters>(StringComparer.Ordinal);
        return endpoints.Select(e => new EndpointPlan(e.Identity, Writers(e.Writers.Values, groupWriters))).ToList();
    }

    private static List<WriterPlan> Writers(IEnumerable<WriterBuilder> builders, Dictionary<string, GroupWriters> groupWriters)
    {
        var list = builders.ToList();
        var result = new List<WriterPlan>(list.Count);
        foreach (var byGroup in list.GroupBy(w => w.Key.Group))
        {
            if (!groupWriters.TryGetValue(byGroup.Key, out var group))
            {
                group = new GroupWriters();
                groupWriters[byGroup.Key] = group;
            }

            foreach (var writer in byGroup)
            {
                // One id with several publishing intervals becomes several writers: the interval disambiguates the name.
                var intervals = byGroup.Count(w => w.Key.WriterId == writer.Key.WriterId);
                var ms = ((long)writer.Key.PublishingInterval.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture);
                var name = writer.Key.WriterId.Length == 0 ? ms : intervals > 1 ? writer.Key.WriterId + "_" + ms : writer.Key.WriterId;
                var ordinal = ++group.LastOrdinal;
                if (!group.Names.Add(name))
                {
                    name = name + "_" + ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    group.Names.Add(name);
                }

                result.Add(new WriterPlan(
                    writer.Key, name, ordinal, writer.Settings, writer.KeyFrameCount ?? 0, writer.ExtensionFields, UniqueFieldNames(writer.Nodes.Values)));
            }
        }

        return result;
    }

    /// <summary>
    /// PubSub payloads are JSON objects keyed by field name: two nodes with one name (the same DisplayName, or one Id
    /// with two index ranges) would overwrite each other, so later ones get a suffix (_2, _3, ...).
    /// </summary>
    private static List<NodePlan> UniqueFieldNames(IEnumerable<NodePlan> nodes)
    {
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = new List<NodePlan>();
        foreach (var node in nodes)
        {
            var name = node.FieldName;
            for (var n = 2; !used.Add(name); n++)
            {
                name = node.FieldName + "_" + n.ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            result.Add(name == node.FieldName ? node : node with { FieldName = name });
        }

        return result;
    }

    private sealed class GroupWriters
    {
        public ushort LastOrdinal { get; set; }

        public HashSet<string> Names { get; } = new(StringComparer.Ordinal);
    }

    private sealed class WriterBuilder(WriterKey key, GroupSettings settings, PublishedNodesEntry first)
    {
        public WriterKey Key { get; } = key;

        public GroupSettings Settings { get; } = settings;

        public PublishedNodesEntry First { get; } = first;

        public uint? KeyFrameCount { get; set; }

        public IReadOnlyDictionary<string, string>? ExtensionFields { get; set; }

        public Dictionary<string, NodePlan> Nodes { get; } = new(StringComparer.Ordinal);
    }
}

/// <summary>What makes a session: endpoint URL, security and user. Entries that agree share one session.</summary>
public sealed record EndpointIdentity(string EndpointUrl, string SecurityMode, string? SecurityPolicy, AuthenticationMode Authentication, string? UserName, string? Password)
{
    public static EndpointIdentity Of(PublishedNodesEntry entry) => new(
        entry.EndpointUrl.TrimEnd('/') + "/",
        entry.EffectiveSecurityMode,
        entry.EndpointSecurityPolicy,
        entry.OpcAuthenticationMode,
        entry.OpcAuthenticationMode == AuthenticationMode.Anonymous ? null : entry.OpcAuthenticationUsername,
        entry.OpcAuthenticationMode == AuthenticationMode.Anonymous ? null : entry.OpcAuthenticationPassword);

    /// <summary>Without the password, for logs and diagnostics.</summary>
    public override string ToString() =>
        $"{EndpointUrl} ({SecurityMode}{(SecurityPolicy is null ? string.Empty : " " + SecurityPolicy)}, {Authentication}{(UserName is null ? string.Empty : " " + UserName)})";
}

public sealed record EndpointPlan(EndpointIdentity Identity, IReadOnlyList<WriterPlan> Writers);

/// <summary>A data set writer: writer group + DataSetWriterId + publishing interval, i.e. one OPC UA subscription.</summary>
public readonly record struct WriterKey(string Group, string WriterId, TimeSpan PublishingInterval)
{
    public override string ToString() => $"{Group}/{(WriterId.Length == 0 ? "(default)" : WriterId)}@{PublishingInterval.TotalMilliseconds}ms";
}

/// <summary>Settings of a writer group (the first entry of the group sets them).</summary>
public sealed record GroupSettings(MessagingMode Mode, int BatchSize, TimeSpan BatchTriggerInterval);

/// <param name="Name">DataSetWriterName in messages (the configured DataSetWriterId, or the interval in ms).</param>
/// <param name="Ordinal">The numeric DataSetWriterId within the writer group (1, 2, ... in configuration order).</param>
public sealed record WriterPlan(
    WriterKey Key,
    string Name,
    ushort Ordinal,
    GroupSettings Group,
    uint KeyFrameCount,
    IReadOnlyDictionary<string, string>? ExtensionFields,
    IReadOnlyList<NodePlan> Nodes);

/// <summary>A node with every setting resolved.</summary>
public sealed record NodePlan(
    OpcNode Config,
    ExpandedNodeId NodeId,
    TimeSpan? SamplingInterval,
    uint QueueSize,
    bool DiscardOldest,
    DataChangeFilter? Filter,
    TimeSpan Heartbeat)
{
    public string Key => Config.Key;

    /// <summary>The payload key: the node's DataSetFieldId, DisplayName or Id, made unique within its writer.</summary>
    public string FieldName { get; init; } = Config.FieldName;

    /// <summary>True when the server's monitored item must change (not only what this publisher does with the values).</summary>
    public bool SameMonitoring(NodePlan other) =>
        SamplingInterval == other.SamplingInterval && QueueSize == other.QueueSize && DiscardOldest == other.DiscardOldest && Equals(Filter, other.Filter);

    public static NodePlan Of(OpcNode node, PublishedNodesEntry entry, TimeSpan publishing, OpcPublisherOptions options)
    {
        PublishedNodesParser.TryNormalizeNodeId(node.Id, out var id);
        var sampling = node.OpcSamplingInterval ?? entry.DataSetSamplingInterval
            ?? (options.DefaultSamplingIntervalMs >= 0 ? TimeSpan.FromMilliseconds(options.DefaultSamplingIntervalMs) : null);
        if (sampling < TimeSpan.Zero)
        {
            sampling = null; // -1: the publishing interval (Part 4 §5.12.1.2)
        }

        var queueSize = node.QueueSize is { } configured && configured > 0
            ? configured
            : options.AutoQueueSize
                ? (uint)Math.Min(1000, Math.Ceiling(publishing.TotalMilliseconds / Math.Max(1, (sampling ?? publishing).TotalMilliseconds)) + 1)
                : 1u;
        DataChangeFilter? filter = node.DataChangeTrigger is null && node.DeadbandType is null or DeadbandType.None
            ? null
            : new DataChangeFilter
            {
                Trigger = node.DataChangeTrigger ?? DataChangeTrigger.StatusValue,
                DeadbandType = node.DeadbandType ?? DeadbandType.None,
                DeadbandValue = node.DeadbandType is null or DeadbandType.None ? 0 : node.DeadbandValue ?? 0,
            };
        return new NodePlan(node, id, sampling, queueSize, !node.DiscardNew, filter, node.HeartbeatInterval ?? TimeSpan.Zero);
    }
}
