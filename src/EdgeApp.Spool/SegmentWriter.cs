using Microsoft.Win32.SafeHandles;

namespace EdgeApp.Spool;

/// <summary>Appends whole chunks of framed records to the active segment with one positional write each.</summary>
internal sealed class SegmentWriter(SpoolSegment segment, SafeFileHandle handle, long length) : IDisposable
{
    public SpoolSegment Segment => segment;

    /// <summary>Bytes written and, where asked, fsynced.</summary>
    public long Length { get; private set; } = length;

    public static SegmentWriter Resume(SpoolSegment segment, long length) =>
        new(segment, File.OpenHandle(segment.Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete), length);

    public static SegmentWriter Create(SpoolSegment segment) =>
        new(segment, File.OpenHandle(segment.Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete), 0);

    /// <summary>Writes <paramref name="chunk"/> after the last one; on failure the file is cut back to where it was, if it still can be.</summary>
    public void Append(ReadOnlySpan<byte> chunk, bool flushToDisk)
    {
        try
        {
            RandomAccess.Write(handle, chunk, Length);
            if (flushToDisk)
            {
                RandomAccess.FlushToDisk(handle);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try
            {
                RandomAccess.SetLength(handle, Length);
            }
            catch (Exception cut) when (cut is IOException or UnauthorizedAccessException)
            {
                // Recovery finds a part-written chunk as a torn tail and cuts it then.
            }

            throw;
        }

        Length += chunk.Length;
    }

    public void Dispose() => handle.Dispose();
}
