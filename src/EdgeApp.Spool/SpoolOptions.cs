using System.ComponentModel.DataAnnotations;

namespace EdgeApp.Spool;

/// <summary>The "Spool" section: where a sink's spool lives, how large it may grow and how hard each append is pushed to disk.</summary>
public sealed class SpoolOptions : IValidatableObject
{
    public const string SectionName = "Spool";

    /// <summary>The parent directory; each spool takes a subdirectory named after it.</summary>
    [Required(AllowEmptyStrings = false, ErrorMessage = "Spool:Directory must be set.")]
    public string Directory { get; set; } = "data/spool";

    /// <summary>Upper bound on the framed bytes of records not yet drained (see <see cref="DiskSpool.Bytes"/>).</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Spool:MaxBytes must be at least 1024.")]
    public long MaxBytes { get; set; } = 1L << 30;

    /// <summary>A new segment file is started once the current one would pass this size; drained segments are deleted whole.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "Spool:SegmentBytes must be at least 1024.")]
    public long SegmentBytes { get; set; } = 16L << 20;

    [EnumDataType(typeof(SpoolOverflow), ErrorMessage = "Spool:Overflow must be Backpressure or DropOldest.")]
    public SpoolOverflow Overflow { get; set; } = SpoolOverflow.Backpressure;

    /// <summary>fsync every append (and new files), so an appended record survives a power loss, not only a crash.</summary>
    public bool FlushToDisk { get; set; } = true;

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SegmentBytes > MaxBytes)
        {
            yield return new ValidationResult("Spool:SegmentBytes must not exceed Spool:MaxBytes.", [nameof(SegmentBytes)]);
        }
    }
}
