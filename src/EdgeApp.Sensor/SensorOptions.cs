using System.ComponentModel.DataAnnotations;
using EdgeApp.Messaging;

namespace EdgeApp.Sensor;

/// <summary>The "Sensor" configuration section.</summary>
public sealed class SensorOptions : IValidatableObject
{
    public const string SectionName = "Sensor";

    /// <summary>Time between readings of every machine.</summary>
    [Range(1, 3_600_000, ErrorMessage = "Sensor:IntervalMs must be between 1 and 3600000 (milliseconds).")]
    public int IntervalMs { get; set; } = 1000;

    /// <summary>How many machines are simulated; each publishes one reading per interval.</summary>
    [Range(1, 100_000, ErrorMessage = "Sensor:MachineCount must be between 1 and 100000.")]
    public int MachineCount { get; set; } = 3;

    [Required(AllowEmptyStrings = false, ErrorMessage = "Sensor:Topic must be set.")]
    public string Topic { get; set; } = "telemetry";

    /// <summary>Makes runs reproducible; a random seed when unset.</summary>
    public int? Seed { get; set; }

    /// <summary>Readings kept for retry while the broker is unreachable; the oldest are dropped (and counted) beyond it.</summary>
    [Range(0, 10_000_000, ErrorMessage = "Sensor:MaxBacklog must be between 0 and 10000000.")]
    public int MaxBacklog { get; set; } = 100_000;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!string.IsNullOrEmpty(Topic) && !TopicName.IsValid(Topic))
        {
            yield return new ValidationResult(
                $"Sensor:Topic '{Topic}' is not a valid topic name (letters, digits, '-', '_', '.', ':', '/').", [nameof(Topic)]);
        }
    }
}
