using System.Text.Json;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPublisher.Configuration;

/// <summary>
/// One entry of OPC Publisher's published-nodes file: an endpoint (with its security and user), the writer group and
/// data set writer its nodes belong to, and the nodes. Fields this publisher does not act on are not kept.
/// </summary>
public sealed record PublishedNodesEntry
{
    public required string EndpointUrl { get; init; }

    public bool UseSecurity { get; init; }

    /// <summary>None, Sign, SignAndEncrypt or Best; overrides <see cref="UseSecurity"/>.</summary>
    public string? EndpointSecurityMode { get; init; }

    public string? EndpointSecurityPolicy { get; init; }

    public AuthenticationMode OpcAuthenticationMode { get; init; }

    public string? OpcAuthenticationUsername { get; init; }

    public string? OpcAuthenticationPassword { get; init; }

    public string? DataSetWriterGroup { get; init; }

    public string? DataSetWriterId { get; init; }

    public TimeSpan? DataSetPublishingInterval { get; init; }

    public TimeSpan? DataSetSamplingInterval { get; init; }

    public uint? DataSetKeyFrameCount { get; init; }

    /// <summary>Fixed fields added to key frames (PubSub) or, as strings, to ExtensionFields (Samples); values are raw JSON.</summary>
    public IReadOnlyDictionary<string, string>? DataSetExtensionFields { get; init; }

    public MessagingMode? MessagingMode { get; init; }

    public int? BatchSize { get; init; }

    public TimeSpan? BatchTriggerInterval { get; init; }

    public IReadOnlyList<OpcNode> OpcNodes { get; init; } = [];

    /// <summary>Where the entry starts in its file (line and column, 1-based); null for entries from the API.</summary>
    public SourcePosition? Position { get; init; }

    /// <summary>The security mode asked for: <see cref="EndpointSecurityMode"/> if set, else from <see cref="UseSecurity"/>.</summary>
    public string EffectiveSecurityMode => EndpointSecurityMode ?? (UseSecurity ? "SignAndEncrypt" : "None");

    /// <summary>Entries with the same session settings share one OPC UA session (and writer group, unless named).</summary>
    public bool SameEndpointAs(PublishedNodesEntry other) =>
        string.Equals(EndpointUrl.TrimEnd('/'), other.EndpointUrl.TrimEnd('/'), StringComparison.OrdinalIgnoreCase)
        && string.Equals(EffectiveSecurityMode, other.EffectiveSecurityMode, StringComparison.OrdinalIgnoreCase)
        && string.Equals(EndpointSecurityPolicy ?? string.Empty, other.EndpointSecurityPolicy ?? string.Empty, StringComparison.Ordinal)
        && OpcAuthenticationMode == other.OpcAuthenticationMode
        && string.Equals(OpcAuthenticationUsername ?? string.Empty, other.OpcAuthenticationUsername ?? string.Empty, StringComparison.Ordinal)
        && string.Equals(OpcAuthenticationPassword ?? string.Empty, other.OpcAuthenticationPassword ?? string.Empty, StringComparison.Ordinal);

    /// <summary>The entry the API's unpublish and list calls match against: same endpoint, writer group and writer id.</summary>
    public bool SameWriterAs(PublishedNodesEntry other) =>
        SameEndpointAs(other)
        && string.Equals(DataSetWriterGroup ?? string.Empty, other.DataSetWriterGroup ?? string.Empty, StringComparison.Ordinal)
        && string.Equals(DataSetWriterId ?? string.Empty, other.DataSetWriterId ?? string.Empty, StringComparison.Ordinal)
        && DataSetPublishingInterval == other.DataSetPublishingInterval;
}

/// <summary>One node of an entry's <c>OpcNodes</c>.</summary>
public sealed record OpcNode
{
    /// <summary>The node as written: NodeId (<c>ns=3;s=StepUp</c>), ExpandedNodeId (<c>nsu=uri;s=StepUp</c>) or <c>uri#s=StepUp</c>.</summary>
    public required string Id { get; init; }

    public TimeSpan? OpcSamplingInterval { get; init; }

    public TimeSpan? OpcPublishingInterval { get; init; }

    public string? DisplayName { get; init; }

    public string? DataSetFieldId { get; init; }

    /// <summary>Send the last value again when none came for this long (OPC Publisher's WatchdogLKV); null or zero: off.</summary>
    public TimeSpan? HeartbeatInterval { get; init; }

    public bool SkipFirst { get; init; }

    public uint? QueueSize { get; init; }

    /// <summary>When the server's queue is full, drop the newest value instead of the oldest.</summary>
    public bool DiscardNew { get; init; }

    public DataChangeTrigger? DataChangeTrigger { get; init; }

    public DeadbandType? DeadbandType { get; init; }

    public double? DeadbandValue { get; init; }

    public string? IndexRange { get; init; }

    public SourcePosition? Position { get; init; }

    /// <summary>The name of the node's field in data set messages: DataSetFieldId, else DisplayName, else the Id.</summary>
    public string FieldName => DataSetFieldId ?? DisplayName ?? Id;

    /// <summary>Identity within a writer: the same node with the same index range is one monitored item.</summary>
    public string Key => IndexRange is null ? Id : Id + "[" + IndexRange + "]";
}

public enum AuthenticationMode
{
    Anonymous,
    UsernamePassword,
    Certificate,
}

/// <summary>A line and column in a published-nodes file, 1-based.</summary>
public readonly record struct SourcePosition(int Line, int Column)
{
    public override string ToString() => $"line {Line}, column {Column}";
}

/// <summary>
/// An invalid published-nodes file: which file, where (line and column) and which field, e.g.
/// <c>pn.json: line 7, column 32: [0].OpcNodes[2].OpcSamplingInterval: expected a number of milliseconds, found "fast"</c>.
/// </summary>
public sealed class PublishedNodesException : Exception
{
    public PublishedNodesException(string source, SourcePosition? position, string field, string problem, Exception? inner = null)
        : base(Describe(source, position, field, problem), inner)
    {
        SourceName = source;
        Position = position;
        Field = field;
        Problem = problem;
    }

    public PublishedNodesException()
    {
        SourceName = Field = Problem = string.Empty;
    }

    public PublishedNodesException(string message)
        : base(message)
    {
        SourceName = Field = Problem = string.Empty;
    }

    public PublishedNodesException(string message, Exception innerException)
        : base(message, innerException)
    {
        SourceName = Field = Problem = string.Empty;
    }

    public string SourceName { get; }

    public SourcePosition? Position { get; }

    /// <summary>The JSON path of the field, e.g. <c>[0].OpcNodes[2].Id</c>; empty for the document itself.</summary>
    public string Field { get; }

    public string Problem { get; }

    private static string Describe(string source, SourcePosition? position, string field, string problem) =>
        $"{source}{(position is { } p ? ": " + p : string.Empty)}: {(field.Length > 0 ? field + ": " : string.Empty)}{problem}";
}

/// <summary>Warnings found while reading a file (fields accepted but not acted upon).</summary>
public sealed record PublishedNodesDocument(IReadOnlyList<PublishedNodesEntry> Entries, IReadOnlyList<string> Warnings);

internal static class JsonText
{
    public static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };
}
