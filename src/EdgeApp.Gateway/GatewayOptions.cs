using System.ComponentModel.DataAnnotations;
using EdgeApp.Messaging;

namespace EdgeApp.Gateway;

/// <summary>
/// The "Gateway" section: which topics to take, which sinks (<c>Gateway:Sinks:&lt;name&gt;</c>, each with a
/// <c>Type</c>) exist, and routes that send events to sinks by topic, CloudEvent type and source.
/// </summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string SectionName = "Gateway";

    [MinLength(1, ErrorMessage = "Gateway:Topics must name at least one topic.")]
    public List<string> Topics { get; set; } = [];

    /// <summary>Every route that matches an event adds its sinks; an event no route matches is dead-lettered.</summary>
    public List<RouteOptions> Routes { get; set; } = [];

    /// <summary>The sink for events no route matches and events a sink refused for good.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Gateway:DeadLetterSink must name a sink.")]
    public string DeadLetterSink { get; set; } = "deadletter";

    /// <summary>How long a write waits for room in a full spool (Backpressure) before the upstream must hold the events.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00", ErrorMessage = "Gateway:FullSpoolWait must be between 00:00:00 and 01:00:00.")]
    public TimeSpan FullSpoolWait { get; set; } = TimeSpan.FromSeconds(30);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var (topic, index) in Topics.Select((t, i) => (t, i)))
        {
            if (!TopicName.IsValid(topic))
            {
                yield return new ValidationResult($"Gateway:Topics:{index} '{topic}' is not a valid topic name.", [nameof(Topics)]);
            }
        }

        if (Topics.Distinct(StringComparer.Ordinal).Count() != Topics.Count)
        {
            yield return new ValidationResult("Gateway:Topics lists a topic twice.", [nameof(Topics)]);
        }

        foreach (var (route, index) in Routes.Select((r, i) => (r, i)))
        {
            if (route.Sinks is not { Count: > 0 })
            {
                yield return new ValidationResult($"Gateway:Routes:{index}:Sinks must name at least one sink.", [nameof(Routes)]);
            }
        }
    }
}

/// <summary>One route; each list holds patterns with <c>*</c> and <c>?</c>, and an empty list matches everything.</summary>
public sealed class RouteOptions
{
    public List<string>? Topics { get; set; }

    public List<string>? Types { get; set; }

    public List<string>? Sources { get; set; }

    public List<string>? Sinks { get; set; }
}
