using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace EdgeApp.Messaging;

public enum MessagingTransport
{
    /// <summary>Talk to Redis Streams directly, in the layout Dapr's pubsub.redis uses.</summary>
    RedisStreams,

    /// <summary>Publish and subscribe through a Dapr sidecar.</summary>
    Dapr,
}

/// <summary>The "Messaging" configuration section; the AppHost sets it per environment.</summary>
public sealed class MessagingOptions
{
    public const string SectionName = "Messaging";

    public MessagingTransport Transport { get; set; } = MessagingTransport.RedisStreams;

    /// <summary>The app id: CloudEvent <c>source</c> and the Redis consumer group, as Dapr uses them.</summary>
    [Required(AllowEmptyStrings = false)]
    [RegularExpression("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", ErrorMessage = "Messaging:AppId must be a lowercase DNS-style name like 'gateway'.")]
    public string AppId { get; set; } = string.Empty;

    /// <summary>The pub/sub component name written into <c>pubsubname</c>.</summary>
    [Required(AllowEmptyStrings = false)]
    public string PubSubName { get; set; } = "pubsub";

    [ValidateObjectMembers]
    public RedisStreamsOptions RedisStreams { get; set; } = new();

    [ValidateObjectMembers]
    public DaprOptions Dapr { get; set; } = new();
}

/// <summary>Settings named after Dapr's pubsub.redis metadata, with the same defaults.</summary>
public sealed class RedisStreamsOptions : IValidatableObject
{
    /// <summary>The connection string name (<c>ConnectionStrings:&lt;name&gt;</c>).</summary>
    [Required(AllowEmptyStrings = false)]
    public string ConnectionName { get; set; } = "redis";

    /// <summary>XADD MAXLEN ~ n; 0 keeps every entry.</summary>
    [Range(0, long.MaxValue)]
    public long MaxLenApprox { get; set; }

    /// <summary>How long a delivered message may stay unacknowledged before another consumer may reclaim it.</summary>
    [Range(typeof(TimeSpan), "00:00:00.010", "1.00:00:00")]
    public TimeSpan ProcessingTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often pending messages are checked for reclaiming; zero disables redelivery.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RedeliverInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>XREADGROUP COUNT: the most messages handed to a handler at once.</summary>
    [Range(1, 100_000)]
    public int QueueDepth { get; set; } = 100;

    /// <summary>XREADGROUP BLOCK: how long one read waits for new messages.</summary>
    [Range(typeof(TimeSpan), "00:00:00.001", "00:01:00")]
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Deliveries after which a message is dead-lettered instead of retried; 0 retries forever.</summary>
    [Range(0, int.MaxValue)]
    public int MaxDeliveryAttempts { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (RedeliverInterval > TimeSpan.Zero && ProcessingTimeout <= ReadTimeout)
        {
            // An entry waits up to one read in the consumer's hands; reclaiming it sooner would deliver it twice.
            yield return new ValidationResult(
                "Messaging:RedisStreams:ProcessingTimeout must be longer than Messaging:RedisStreams:ReadTimeout.", [nameof(ProcessingTimeout)]);
        }
    }
}

public sealed class DaprOptions
{
    /// <summary>The sidecar's HTTP endpoint; defaults to DAPR_HTTP_ENDPOINT or http://127.0.0.1:DAPR_HTTP_PORT (3500).</summary>
    public Uri? HttpEndpoint { get; set; }

    /// <summary>Sent as <c>dapr-api-token</c>; defaults to DAPR_API_TOKEN.</summary>
    public string? ApiToken { get; set; }

    /// <summary>Use the bulk publish API for batches (Dapr 1.10+).</summary>
    public bool BulkPublish { get; set; } = true;

    /// <summary>Ask the sidecar for bulk deliveries.</summary>
    public bool BulkSubscribe { get; set; } = true;

    [Range(1, 10_000)]
    public int BulkSubscribeMaxMessages { get; set; } = 100;

    [Range(1, 60_000)]
    public int BulkSubscribeMaxAwaitMilliseconds { get; set; } = 40;
}

/// <summary>Validates the whole tree at start, naming the failing key.</summary>
[OptionsValidator]
public sealed partial class MessagingOptionsValidator : IValidateOptions<MessagingOptions>;
