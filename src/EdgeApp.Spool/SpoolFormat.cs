using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace EdgeApp.Spool;

/// <summary>
/// The framing of one record in a segment file, all integers little-endian:
/// <code>
/// header (16 bytes)  marker E5 D9 5A 1C | body length u32 | body CRC-32 u32 | header CRC-32 u32 (of the 12 bytes before)
/// body               enqueued-at UTC ticks i64 | offset minutes i16 | id length u16 | id UTF-8
///                    | partition key length u16 (FFFF = none) | partition key UTF-8 | payload (the rest)
/// </code>
/// The header has its own checksum so a damaged length is recognised before it is used: recovery then
/// resynchronises on the next marker instead of trusting it. The marker holds no ASCII and no zero byte, so JSON
/// payloads and zero-filled tails rarely look like one, and a look-alike still fails the header checksum.
/// </summary>
internal static class SpoolFormat
{
    public const int HeaderSize = 16;
    public const int FixedBodySize = 14;
    public const int MaxIdBytes = ushort.MaxValue;
    public const int MaxPartitionKeyBytes = ushort.MaxValue - 1;

    /// <summary>The most a body's fields before the payload can take: enough to validate any record from a prefix.</summary>
    public const int MaxBodyPrefix = FixedBodySize + MaxIdBytes + MaxPartitionKeyBytes;

    /// <summary>Lengths read from disk above this are damage: no record body may need a larger array.</summary>
    public const int MaxBodyLength = 0x7FFFFFC7 - HeaderSize;

    private const ushort NoPartitionKey = ushort.MaxValue;
    private const int MaxOffsetMinutes = 14 * 60;

    public static ReadOnlySpan<byte> Marker => [0xE5, 0xD9, 0x5A, 0x1C];

    /// <summary>The bytes a record takes on disk, header included.</summary>
    public static long FramedSize(SpoolRecord record)
    {
        var id = Encoding.UTF8.GetByteCount(record.Id);
        var key = record.PartitionKey is null ? 0 : Encoding.UTF8.GetByteCount(record.PartitionKey);
        if (id > MaxIdBytes || key > MaxPartitionKeyBytes)
        {
            throw new SpoolRecordTooLargeException(
                $"Spool record '{Shorten(record.Id)}' has an id of {id} or a partition key of {key} UTF-8 bytes; at most {MaxIdBytes} and {MaxPartitionKeyBytes} can be stored.")
            {
                RecordId = record.Id,
            };
        }

        return (long)HeaderSize + FixedBodySize + id + key + record.Payload.Length;
    }

    /// <summary>Writes the framed record; <paramref name="destination"/> holds exactly <see cref="FramedSize"/> bytes.</summary>
    public static void Write(SpoolRecord record, Span<byte> destination)
    {
        var body = destination[HeaderSize..];
        BinaryPrimitives.WriteInt64LittleEndian(body, record.EnqueuedAt.UtcTicks);
        BinaryPrimitives.WriteInt16LittleEndian(body[8..], (short)record.EnqueuedAt.TotalOffsetMinutes);
        var at = FixedBodySize - 4;
        var id = Encoding.UTF8.GetBytes(record.Id, body[(at + 2)..]);
        BinaryPrimitives.WriteUInt16LittleEndian(body[at..], (ushort)id);
        at += 2 + id;
        if (record.PartitionKey is null)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(body[at..], NoPartitionKey);
            at += 2;
        }
        else
        {
            var key = Encoding.UTF8.GetBytes(record.PartitionKey, body[(at + 2)..]);
            BinaryPrimitives.WriteUInt16LittleEndian(body[at..], (ushort)key);
            at += 2 + key;
        }

        record.Payload.Span.CopyTo(body[at..]);

        var header = destination[..HeaderSize];
        Marker.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header[4..], (uint)body.Length);
        BinaryPrimitives.WriteUInt32LittleEndian(header[8..], Crc32.HashToUInt32(body));
        BinaryPrimitives.WriteUInt32LittleEndian(header[12..], Crc32.HashToUInt32(header[..12]));
    }

    /// <summary>Reads a header; false for anything that is not one this format wrote (marker, checksum, length bounds).</summary>
    public static bool TryReadHeader(ReadOnlySpan<byte> header, out int bodyLength, out uint bodyChecksum)
    {
        bodyLength = 0;
        bodyChecksum = 0;
        if (header.Length < HeaderSize || !header[..4].SequenceEqual(Marker)
            || BinaryPrimitives.ReadUInt32LittleEndian(header[12..]) != Crc32.HashToUInt32(header[..12]))
        {
            return false;
        }

        var length = BinaryPrimitives.ReadUInt32LittleEndian(header[4..]);
        if (length is < FixedBodySize or > MaxBodyLength)
        {
            return false;
        }

        bodyLength = (int)length;
        bodyChecksum = BinaryPrimitives.ReadUInt32LittleEndian(header[8..]);
        return true;
    }

    /// <summary>
    /// Checks the fields before the payload, given the body's first bytes (at least
    /// <c>min(bodyLength, MaxBodyPrefix)</c>): lengths inside the body, a representable time.
    /// </summary>
    public static bool TryReadLayout(ReadOnlySpan<byte> prefix, int bodyLength, out RecordLayout layout)
    {
        layout = default;
        if (prefix.Length < FixedBodySize || prefix.Length > bodyLength)
        {
            return false;
        }

        var ticks = BinaryPrimitives.ReadInt64LittleEndian(prefix);
        var minutes = BinaryPrimitives.ReadInt16LittleEndian(prefix[8..]);
        if (ticks < DateTime.MinValue.Ticks || ticks > DateTime.MaxValue.Ticks || Math.Abs((int)minutes) > MaxOffsetMinutes)
        {
            return false;
        }

        var local = ticks + (minutes * TimeSpan.TicksPerMinute);
        if (local < DateTime.MinValue.Ticks || local > DateTime.MaxValue.Ticks)
        {
            return false;
        }

        int id = BinaryPrimitives.ReadUInt16LittleEndian(prefix[10..]);
        var keyAt = FixedBodySize - 2 + id;
        if (keyAt + 2 > prefix.Length)
        {
            return false;
        }

        int key = BinaryPrimitives.ReadUInt16LittleEndian(prefix[keyAt..]);
        var hasKey = key != NoPartitionKey;
        var payloadAt = keyAt + 2 + (hasKey ? key : 0);
        if (payloadAt > bodyLength)
        {
            return false;
        }

        layout = new RecordLayout(
            new DateTimeOffset(ticks, TimeSpan.Zero).ToOffset(TimeSpan.FromMinutes(minutes)),
            id,
            hasKey ? key : -1,
            payloadAt,
            bodyLength - payloadAt);
        return true;
    }

    /// <summary>Id and partition key from a validated body prefix.</summary>
    public static (string Id, string? PartitionKey) ReadKeys(ReadOnlySpan<byte> prefix, in RecordLayout layout)
    {
        const int idAt = FixedBodySize - 2;
        var id = Encoding.UTF8.GetString(prefix.Slice(idAt, layout.IdLength));
        var key = layout.PartitionKeyLength < 0
            ? null
            : Encoding.UTF8.GetString(prefix.Slice(idAt + layout.IdLength + 2, layout.PartitionKeyLength));
        return (id, key);
    }

    private static string Shorten(string text) => text.Length <= 64 ? text : text[..64] + "...";
}

/// <summary>Where a body's fields are: the payload is <c>body[PayloadOffset..]</c>.</summary>
internal readonly record struct RecordLayout(DateTimeOffset EnqueuedAt, int IdLength, int PartitionKeyLength, int PayloadOffset, int PayloadLength);
