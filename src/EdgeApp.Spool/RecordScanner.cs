using System.IO.Hashing;

namespace EdgeApp.Spool;

internal enum ScanResult
{
    /// <summary>A whole record whose header, checksum and fields are good.</summary>
    Valid,

    /// <summary>The offset is the limit: nothing more to read.</summary>
    End,

    /// <summary>Fewer bytes are left than a header, or a good header announces more bytes than are left.</summary>
    Incomplete,

    /// <summary>No header this format wrote: wrong marker, header checksum or length bounds.</summary>
    BadHeader,

    /// <summary>A good header whose body fails its checksum or field checks; its extent is known.</summary>
    BadBody,
}

/// <summary>A record's place in its segment and the layout of its body.</summary>
internal readonly record struct RecordFrame(long Offset, int BodyLength, RecordLayout Layout)
{
    public long End => Offset + SpoolFormat.HeaderSize + BodyLength;

    public long FramedSize => SpoolFormat.HeaderSize + BodyLength;
}

/// <summary>Validates records in place and finds the next good one after damage. Never throws on bad bytes.</summary>
internal static class RecordScanner
{
    /// <summary>Checks the record at <paramref name="offset"/>; the frame is set for Valid and, extent only, for BadBody.</summary>
    public static ScanResult Next(SegmentReader reader, long offset, out RecordFrame frame)
    {
        frame = default;
        var left = reader.Limit - offset;
        if (left <= 0)
        {
            return ScanResult.End;
        }

        if (left < SpoolFormat.HeaderSize)
        {
            return ScanResult.Incomplete;
        }

        var header = reader.Read(offset, SpoolFormat.HeaderSize);
        if (header.Length < SpoolFormat.HeaderSize)
        {
            return ScanResult.Incomplete;
        }

        if (!SpoolFormat.TryReadHeader(header, out var bodyLength, out var expected))
        {
            return ScanResult.BadHeader;
        }

        // The length has passed the header checksum, and is checked against the bytes that exist before any use.
        if (bodyLength > left - SpoolFormat.HeaderSize)
        {
            return ScanResult.Incomplete;
        }

        frame = new RecordFrame(offset, bodyLength, default);
        var bodyAt = offset + SpoolFormat.HeaderSize;
        uint? actual;
        if (bodyLength <= reader.WindowSize)
        {
            var body = reader.Read(bodyAt, bodyLength);
            actual = body.Length == bodyLength ? Crc32.HashToUInt32(body) : null;
        }
        else
        {
            actual = reader.Checksum(bodyAt, bodyLength);
        }

        if (actual is null)
        {
            return ScanResult.Incomplete;
        }

        var prefix = reader.Read(bodyAt, Math.Min(bodyLength, SpoolFormat.MaxBodyPrefix));
        if (actual != expected || !SpoolFormat.TryReadLayout(prefix, bodyLength, out var layout))
        {
            return ScanResult.BadBody;
        }

        frame = frame with { Layout = layout };
        return ScanResult.Valid;
    }

    /// <summary>The offset of the first valid record at or after <paramref name="from"/>, or null if none is left.</summary>
    public static long? FindNextValid(SegmentReader reader, long from)
    {
        var at = from;
        while (reader.Limit - at >= SpoolFormat.HeaderSize)
        {
            var ahead = reader.ReadAhead(at);
            if (ahead.IsEmpty)
            {
                return null; // the file is shorter than it should be: nothing further can be read
            }

            var found = ahead.IndexOf(SpoolFormat.Marker);
            if (found < 0)
            {
                // Keep the last bytes: a marker may straddle the end of what was buffered.
                at += Math.Max(1, ahead.Length - (SpoolFormat.Marker.Length - 1));
                continue;
            }

            var candidate = at + found;
            if (Next(reader, candidate, out _) == ScanResult.Valid)
            {
                return candidate;
            }

            at = candidate + 1;
        }

        return null;
    }
}
