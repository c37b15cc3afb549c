using System.Globalization;

namespace EdgeApp.Spool;

/// <summary>
/// What the spool knows about one segment file. The counters and <see cref="Length"/> are guarded by the spool's
/// lock; the skip list belongs to whoever reads (recovery, then the drainer).
/// </summary>
internal sealed class SpoolSegment(long number, string path)
{
    private const string Extension = ".seg";

    private List<(long Start, long End)>? skips;

    public long Number => number;

    public string Path => path;

    /// <summary>Bytes from the file's start that hold only complete, published records (and known damage).</summary>
    public long Length { get; set; }

    /// <summary>No more appends: the writer moved to a later segment or gave this one up after a failed write.</summary>
    public bool Sealed { get; set; }

    /// <summary>Records in this segment not yet drained or dropped.</summary>
    public long LiveRecords { get; set; }

    /// <summary>Framed bytes of <see cref="LiveRecords"/>.</summary>
    public long LiveBytes { get; set; }

    public static string FileName(long number) => number.ToString("D20", CultureInfo.InvariantCulture) + Extension;

    public static bool TryParseNumber(string fileName, out long number)
    {
        number = 0;
        return fileName.Length == 20 + Extension.Length
            && fileName.EndsWith(Extension, StringComparison.Ordinal)
            && long.TryParse(fileName.AsSpan(0, 20), NumberStyles.None, CultureInfo.InvariantCulture, out number)
            && number > 0;
    }

    /// <summary>Marks a damaged range so readers step over it without judging (or counting) it again.</summary>
    public void AddSkip(long start, long end) => (skips ??= []).Add((start, end));

    /// <summary>If <paramref name="offset"/> falls in a damaged range, where that range ends.</summary>
    public bool TrySkip(long offset, out long end)
    {
        if (skips is not null)
        {
            foreach (var (start, stop) in skips)
            {
                if (offset >= start && offset < stop)
                {
                    end = stop;
                    return true;
                }
            }
        }

        end = offset;
        return false;
    }
}
