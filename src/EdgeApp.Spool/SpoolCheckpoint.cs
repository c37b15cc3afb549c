using System.Buffers.Binary;
using System.IO.Hashing;

namespace EdgeApp.Spool;

/// <summary>
/// The read position, 28 bytes: "ESCP" | version u32 = 1 | segment i64 | offset i64 | CRC-32 of the 24 bytes before.
/// Replaced atomically (temporary file, then rename). Losing it costs duplicates, never records: without a
/// readable checkpoint the spool drains again from its oldest segment.
/// </summary>
internal static class SpoolCheckpoint
{
    public const string FileName = "checkpoint";
    public const string TempFileName = "checkpoint.tmp";

    private const int Size = 28;
    private const uint Version = 1;

    private static ReadOnlySpan<byte> Magic => "ESCP"u8;

    /// <summary>The stored position, or null with the reason (null reason: there is no checkpoint file).</summary>
    public static SpoolPosition? TryRead(string directory, out string? problem)
    {
        problem = null;
        var path = Path.Combine(directory, FileName);
        if (!File.Exists(path))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[Size];
        try
        {
            using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length != Size)
            {
                problem = $"it holds {length} bytes, not {Size}";
                return null;
            }

            var read = 0;
            while (read < Size && RandomAccess.Read(handle, bytes[read..], read) is var n && n > 0)
            {
                read += n;
            }

            if (read != Size)
            {
                problem = "it ended early";
                return null;
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            problem = ex.Message;
            return null;
        }

        if (!bytes[..4].SequenceEqual(Magic) || BinaryPrimitives.ReadUInt32LittleEndian(bytes[4..]) != Version
            || BinaryPrimitives.ReadUInt32LittleEndian(bytes[24..]) != Crc32.HashToUInt32(bytes[..24]))
        {
            problem = "its marker, version or checksum is wrong";
            return null;
        }

        var segment = BinaryPrimitives.ReadInt64LittleEndian(bytes[8..]);
        var offset = BinaryPrimitives.ReadInt64LittleEndian(bytes[16..]);
        if (segment <= 0 || offset < 0)
        {
            problem = $"it names position {segment}:{offset}";
            return null;
        }

        return new SpoolPosition(segment, offset);
    }

    public static void Write(string directory, SpoolPosition position, bool flushToDisk)
    {
        Span<byte> bytes = stackalloc byte[Size];
        Magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[4..], Version);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[8..], position.Segment);
        BinaryPrimitives.WriteInt64LittleEndian(bytes[16..], position.Offset);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes[24..], Crc32.HashToUInt32(bytes[..24]));

        var temp = Path.Combine(directory, TempFileName);
        using (var handle = File.OpenHandle(temp, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            RandomAccess.Write(handle, bytes, 0);
            if (flushToDisk)
            {
                // The bytes must be on disk before the rename can expose them under the real name.
                RandomAccess.FlushToDisk(handle);
            }
        }

        File.Move(temp, Path.Combine(directory, FileName), overwrite: true);
    }
}
