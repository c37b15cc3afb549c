using System.ComponentModel.DataAnnotations;
using EdgeApp.Messaging;

namespace EdgeApp.Gateway;

/// <summary>The "Gateway" configuration section: which topics are routed to the cloud stores.</summary>
public sealed class GatewayOptions : IValidatableObject
{
    public const string SectionName = "Gateway";

    [MinLength(1, ErrorMessage = "Gateway:Topics must name at least one topic.")]
    public List<string> Topics { get; set; } = [];

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
    }
}
