using System.ComponentModel.DataAnnotations;

namespace EdgeApp.Gateway.Sinks;

/// <summary>The "FileSink" section: JSON Lines files, one CloudEvent per line, rolled by size.</summary>
public sealed class FileSinkOptions
{
    public const string SectionName = "FileSink";

    [Required(AllowEmptyStrings = false, ErrorMessage = "FileSink:Directory must be set.")]
    public string Directory { get; set; } = "data/sink";

    [RegularExpression("^[A-Za-z0-9_.-]+$", ErrorMessage = "FileSink:FilePrefix may hold only letters, digits, '_', '.' and '-'.")]
    public string FilePrefix { get; set; } = "events";

    /// <summary>A new file is started once the current one reaches this size.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "FileSink:MaxFileBytes must be at least 1024.")]
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>fsync after every batch, so an acknowledged event survives a power loss, not only a crash.</summary>
    public bool FlushToDisk { get; set; } = true;
}
