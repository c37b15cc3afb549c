using System.ComponentModel.DataAnnotations;

namespace EdgeApp.Gateway.Sinks;

/// <summary>A sink of type File: JSON Lines files, one CloudEvent per line, rolled by size.</summary>
public sealed class FileSinkOptions
{
    [Required(AllowEmptyStrings = false, ErrorMessage = "Directory must be set.")]
    public string Directory { get; set; } = "data/sink";

    [RegularExpression("^[A-Za-z0-9_.-]+$", ErrorMessage = "FilePrefix may hold only letters, digits, '_', '.' and '-'.")]
    public string FilePrefix { get; set; } = "events";

    /// <summary>A new file is started once the current one reaches this size.</summary>
    [Range(1024, long.MaxValue, ErrorMessage = "MaxFileBytes must be at least 1024.")]
    public long MaxFileBytes { get; set; } = 64L * 1024 * 1024;

    /// <summary>fsync after every batch, so an acknowledged event survives a power loss, not only a crash.</summary>
    public bool FlushToDisk { get; set; } = true;
}
