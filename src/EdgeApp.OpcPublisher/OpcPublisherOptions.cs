using System.ComponentModel.DataAnnotations;
using EdgeApp.Messaging;

namespace EdgeApp.OpcPublisher;

/// <summary>
/// The "OpcPublisher" section. Names follow OPC Publisher's options; the flags in brackets set them from the command
/// line (<see cref="Configuration.PublisherCommandLine"/>).
/// </summary>
public sealed class OpcPublisherOptions : IValidatableObject
{
    public const string SectionName = "OpcPublisher";

    /// <summary>The published-nodes file (<c>--pf</c>). Watched: changes apply without a restart; API changes are written back.</summary>
    public string? PublishedNodesFile { get; set; }

    /// <summary>Where to fetch the published-nodes JSON instead of a file (<c>--pfu</c>), e.g. OPC PLC's <c>/pn.json</c>; fetched again every <see cref="PublishedNodesRefreshSeconds"/>.</summary>
    public string? PublishedNodesUrl { get; set; }

    [Range(1, 86_400, ErrorMessage = "OpcPublisher:PublishedNodesRefreshSeconds must be between 1 and 86400.")]
    public int PublishedNodesRefreshSeconds { get; set; } = 30;

    /// <summary>PubSub (OPC UA Part 14 JSON network messages) or Samples (<c>--mm</c>); a writer group's MessagingMode overrides it.</summary>
    public MessagingMode MessagingMode { get; set; } = MessagingMode.PubSub;

    /// <summary>Most values in one message (<c>--bs</c>). OPC Publisher: 50.</summary>
    [Range(1, 100_000, ErrorMessage = "OpcPublisher:BatchSize must be between 1 and 100000.")]
    public int BatchSize { get; set; } = 1000;

    /// <summary>
    /// Most bytes of one encoded message: batches are made smaller when values are large, so messages stay below broker
    /// limits (IoT Hub 256 KB, Dapr's 4 MB bulk requests), and below .NET's large object heap threshold (85,000 bytes): at
    /// 100,000 values/s, 256 KiB messages made the publisher's RSS swing up to ~1 GB in 3 of 7 runs, 64 KiB never
    /// (bench/README.md, OpcPublisher).
    /// </summary>
    [Range(1024, 16 << 20, ErrorMessage = "OpcPublisher:MaxMessageBytes must be between 1024 and 16777216.")]
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>
    /// Longest a value waits for more to fill its message (<c>--bi</c>, ms). 0 sends what a notification from the server
    /// brought as soon as it is encoded (the lowest latency). OPC Publisher: 10,000.
    /// </summary>
    [Range(0, 3_600_000, ErrorMessage = "OpcPublisher:BatchTriggerIntervalMs must be between 0 and 3600000.")]
    public int BatchTriggerIntervalMs { get; set; }

    /// <summary>Publishing interval of nodes that set none (<c>--op</c>, ms).</summary>
    [Range(0, 3_600_000, ErrorMessage = "OpcPublisher:DefaultPublishingIntervalMs must be between 0 and 3600000.")]
    public int DefaultPublishingIntervalMs { get; set; } = 1000;

    /// <summary>
    /// Sampling interval of nodes that set none (<c>--oi</c>, ms); -1 (the default) samples at the node's publishing
    /// interval. OPC Publisher uses 1000, which hides changes of faster nodes.
    /// </summary>
    [Range(-1, 3_600_000, ErrorMessage = "OpcPublisher:DefaultSamplingIntervalMs must be between -1 and 3600000.")]
    public int DefaultSamplingIntervalMs { get; set; } = -1;

    /// <summary>
    /// Queue size of nodes that set none: enough for every sample of a publishing interval (publishing / sampling + 1)
    /// when true (<c>--aq</c>), else 1 as in OPC Publisher.
    /// </summary>
    public bool AutoQueueSize { get; set; } = true;

    /// <summary>The topic messages are published on.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "OpcPublisher:Topic must be set.")]
    public string Topic { get; set; } = "telemetry";

    /// <summary>The PublisherId in messages; the machine name when unset.</summary>
    public string? PublisherId { get; set; }

    /// <summary>Keep encoded messages in a disk spool before they count as received, so a restart or broker outage loses none.</summary>
    public bool UseSpool { get; set; } = true;

    /// <summary>Delay before the first reconnect attempt to an endpoint that could not be reached; doubles up to <see cref="MaxRetryDelayMs"/>.</summary>
    [Range(10, 600_000, ErrorMessage = "OpcPublisher:InitialRetryDelayMs must be between 10 and 600000.")]
    public int InitialRetryDelayMs { get; set; } = 1000;

    [Range(10, 3_600_000, ErrorMessage = "OpcPublisher:MaxRetryDelayMs must be between 10 and 3600000.")]
    public int MaxRetryDelayMs { get; set; } = 30_000;

    /// <summary>How often nodes the server refused (unknown node, bad filter) are tried again.</summary>
    [Range(1, 86_400, ErrorMessage = "OpcPublisher:RetryFailedNodesSeconds must be between 1 and 86400.")]
    public int RetryFailedNodesSeconds { get; set; } = 30;

    public string EffectivePublisherId => string.IsNullOrWhiteSpace(PublisherId) ? Environment.MachineName : PublisherId;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Topic) && !TopicName.IsValid(Topic))
        {
            yield return new ValidationResult($"OpcPublisher:Topic '{Topic}' is not a valid topic name.", [nameof(Topic)]);
        }

        if (string.IsNullOrWhiteSpace(PublishedNodesFile) == string.IsNullOrWhiteSpace(PublishedNodesUrl))
        {
            yield return new ValidationResult(
                "Set exactly one of OpcPublisher:PublishedNodesFile (--pf) and OpcPublisher:PublishedNodesUrl (--pfu).",
                [nameof(PublishedNodesFile), nameof(PublishedNodesUrl)]);
        }

        if (PublishedNodesUrl is { Length: > 0 } url
            && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)))
        {
            yield return new ValidationResult($"OpcPublisher:PublishedNodesUrl '{url}' must be an absolute http(s) URL.", [nameof(PublishedNodesUrl)]);
        }

        if (MaxRetryDelayMs < InitialRetryDelayMs)
        {
            yield return new ValidationResult("OpcPublisher:MaxRetryDelayMs must not be below OpcPublisher:InitialRetryDelayMs.", [nameof(MaxRetryDelayMs)]);
        }
    }
}

/// <summary>The message formats (OPC Publisher's <c>--mm</c>).</summary>
public enum MessagingMode
{
    /// <summary>OPC UA Part 14 JSON network messages (<c>ua-data</c>) with data set messages per writer.</summary>
    PubSub,

    /// <summary>OPC Publisher's legacy format: one JSON object per value change (an array of them per message when batched).</summary>
    Samples,
}
