using System.ComponentModel.DataAnnotations;
using Azure.Messaging.EventHubs;

namespace EdgeApp.Gateway.Sinks.EventHubs;

/// <summary>A sink of type EventHubs; the SDK's retry options are exposed as they are.</summary>
public sealed class EventHubsSinkOptions
{
    /// <summary>The connection string name (<c>ConnectionStrings:&lt;name&gt;</c>), as Aspire hands it over.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "ConnectionName must be set.")]
    public string ConnectionName { get; set; } = "eventhubs";

    /// <summary>The hub; may be omitted when the connection string carries <c>EntityPath</c>.</summary>
    public string? EventHubName { get; set; }

    /// <summary>Upper bound for one batch; the hub's own limit (256 KB Basic, 1 MB Standard and above) when unset.</summary>
    [Range(1024, 1024 * 1024, ErrorMessage = "MaxBatchBytes must be between 1024 and 1048576 (no Event Hubs tier takes larger batches).")]
    public long? MaxBatchBytes { get; set; }

    [Range(0, 100, ErrorMessage = "MaxRetries must be between 0 and 100.")]
    public int MaxRetries { get; set; } = 3;

    public EventHubsRetryMode RetryMode { get; set; } = EventHubsRetryMode.Exponential;

    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(0.8);

    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long one send may take before it counts as failed.</summary>
    public TimeSpan TryTimeout { get; set; } = TimeSpan.FromSeconds(30);

    public EventHubsRetryOptions ToRetryOptions() => new()
    {
        MaximumRetries = MaxRetries,
        Mode = RetryMode,
        Delay = RetryDelay,
        MaximumDelay = MaxRetryDelay,
        TryTimeout = TryTimeout,
    };
}
