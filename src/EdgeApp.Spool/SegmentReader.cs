using System.IO.Hashing;
using Microsoft.Win32.SafeHandles;

namespace EdgeApp.Spool;

/// <summary>
/// Positional reads of one segment file through a window buffer, never past <see cref="Limit"/>: the bytes that
/// are known to be complete (the file's length in recovery, the published length while appends run). Bytes once
/// read below the limit never change, because segments are append-only, so the window never goes stale.
/// </summary>
internal sealed class SegmentReader(SafeFileHandle handle, long limit, byte[] window) : IDisposable
{
    private long windowStart;
    private int windowCount;

    public SafeFileHandle Handle => handle;

    public long Limit { get; set; } = limit;

    public int WindowSize => window.Length;

    /// <summary>
    /// Up to <paramref name="count"/> bytes at <paramref name="offset"/> (fewer only at the limit or a short file);
    /// <paramref name="count"/> is at most <see cref="WindowSize"/>. The span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<byte> Read(long offset, int count)
    {
        count = (int)Math.Min(count, Math.Max(0, Limit - offset));
        if (offset < windowStart || offset + count > windowStart + windowCount)
        {
            Fill(offset);
        }

        var at = (int)(offset - windowStart);
        return window.AsSpan(at, Math.Min(count, windowCount - at));
    }

    /// <summary>The bytes buffered from <paramref name="offset"/> on, refilling when fewer than a few KiB are left.</summary>
    public ReadOnlySpan<byte> ReadAhead(long offset)
    {
        var wanted = (int)Math.Min(4096, Math.Max(0, Limit - offset));
        if (offset < windowStart || offset + wanted > windowStart + windowCount)
        {
            Fill(offset);
        }

        return window.AsSpan((int)(offset - windowStart), windowCount - (int)(offset - windowStart));
    }

    /// <summary>CRC-32 of a range larger than the window, streamed through it; null if the file ends first.</summary>
    public uint? Checksum(long offset, long length)
    {
        var crc = new Crc32();
        while (length > 0)
        {
            var chunk = Read(offset, (int)Math.Min(length, window.Length));
            if (chunk.IsEmpty)
            {
                return null;
            }

            crc.Append(chunk);
            offset += chunk.Length;
            length -= chunk.Length;
        }

        return crc.GetCurrentHashAsUInt32();
    }

    /// <summary>Fills <paramref name="destination"/> from the file, for bodies larger than the window; false if the file ends first.</summary>
    public bool ReadExact(long offset, Span<byte> destination)
    {
        while (!destination.IsEmpty)
        {
            var read = RandomAccess.Read(handle, destination, offset);
            if (read == 0)
            {
                return false;
            }

            offset += read;
            destination = destination[read..];
        }

        return true;
    }

    public void Dispose() => handle.Dispose();

    private void Fill(long offset)
    {
        windowStart = offset;
        windowCount = 0;
        var wanted = (int)Math.Min(window.Length, Math.Max(0, Limit - offset));
        while (windowCount < wanted)
        {
            var read = RandomAccess.Read(handle, window.AsSpan(windowCount, wanted - windowCount), offset + windowCount);
            if (read == 0)
            {
                break;
            }

            windowCount += read;
        }
    }
}
