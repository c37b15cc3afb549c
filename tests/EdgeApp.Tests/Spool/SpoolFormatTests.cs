using System.Buffers.Binary;
using EdgeApp.Spool;

namespace EdgeApp.Tests.Spool;

public sealed class SpoolFormatTests
{
    // 2026-01-01T01:00:00+01:00, id "a", partition key "k", payload "hi" (CRC-32 values from an independent implementation).
    private const string GoldenRecord = "e5d95a1c1200000047f2f91b39a135fa0000f8b4c848de083c0001006101006b6869";

    // 2026-01-01T00:00:00Z, id "b", no partition key, empty payload.
    private const string GoldenRecordWithoutKey = "e5d95a1c0f000000fcc494b1668a4e110000f8b4c848de080000010062ffff";

    [Fact]
    public void Write_ProducesTheDocumentedBytes()
    {
        var record = new SpoolRecord("a", "k", new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.FromHours(1)), "hi"u8.ToArray());

        Assert.Equal(GoldenRecord, Encode(record));
        Assert.Equal(GoldenRecordWithoutKey, Encode(new SpoolRecord("b", null, new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), default)));
    }

    [Theory]
    [InlineData(GoldenRecord, "a", "k", "hi")]
    [InlineData(GoldenRecordWithoutKey, "b", null, "")]
    public void Golden_DecodesToItsFields(string hex, string id, string? key, string payload)
    {
        var bytes = Convert.FromHexString(hex);

        Assert.True(SpoolFormat.TryReadHeader(bytes, out var bodyLength, out _));
        Assert.Equal(bytes.Length - SpoolFormat.HeaderSize, bodyLength);
        var body = bytes.AsSpan(SpoolFormat.HeaderSize);
        Assert.True(SpoolFormat.TryReadLayout(body, bodyLength, out var layout));
        Assert.Equal((id, key), SpoolFormat.ReadKeys(body, layout));
        Assert.Equal(payload, System.Text.Encoding.ASCII.GetString(body[layout.PayloadOffset..]));
        Assert.Equal(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero), layout.EnqueuedAt);
    }

    [Fact]
    public void TryReadHeader_RefusesEveryHeaderWithOneBitFlipped()
    {
        var bytes = Convert.FromHexString(GoldenRecord);
        for (var bit = 0; bit < SpoolFormat.HeaderSize * 8; bit++)
        {
            var damaged = (byte[])bytes.Clone();
            damaged[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.False(SpoolFormat.TryReadHeader(damaged, out _, out _), $"bit {bit} flipped was accepted");
        }
    }

    [Theory]
    [InlineData(0u)]
    [InlineData(13u)]
    [InlineData(0x7FFFFFFFu)]
    [InlineData(0xFFFFFFFFu)]
    public void TryReadHeader_RefusesLengthsOutOfBounds_EvenWithAGoodChecksum(uint length)
    {
        var header = Convert.FromHexString(GoldenRecord)[..SpoolFormat.HeaderSize];
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), length);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(12), System.IO.Hashing.Crc32.HashToUInt32(header.AsSpan(0, 12)));

        Assert.False(SpoolFormat.TryReadHeader(header, out _, out _));
    }

    [Theory]
    [InlineData("ticks past DateTime.MaxValue")]
    [InlineData("negative ticks")]
    [InlineData("offset of 15 hours")]
    [InlineData("local time past DateTime.MaxValue")]
    [InlineData("id longer than the body")]
    [InlineData("partition key longer than the body")]
    public void TryReadLayout_RefusesInconsistentFields(string damage)
    {
        var body = Convert.FromHexString(GoldenRecord)[SpoolFormat.HeaderSize..];
        switch (damage)
        {
            case "ticks past DateTime.MaxValue":
                BinaryPrimitives.WriteInt64LittleEndian(body, DateTime.MaxValue.Ticks + 1);
                break;
            case "negative ticks":
                BinaryPrimitives.WriteInt64LittleEndian(body, -1);
                break;
            case "offset of 15 hours":
                BinaryPrimitives.WriteInt16LittleEndian(body.AsSpan(8), 15 * 60);
                break;
            case "local time past DateTime.MaxValue":
                BinaryPrimitives.WriteInt64LittleEndian(body, DateTime.MaxValue.Ticks);
                BinaryPrimitives.WriteInt16LittleEndian(body.AsSpan(8), 60);
                break;
            case "id longer than the body":
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(10), 0xFFFF);
                break;
            default:
                BinaryPrimitives.WriteUInt16LittleEndian(body.AsSpan(13), 0x7FFF);
                break;
        }

        Assert.False(SpoolFormat.TryReadLayout(body, body.Length, out _));
    }

    [Fact]
    public void FramedSize_RefusesIdsThatCannotBeStored()
    {
        var record = new SpoolRecord(new string('x', SpoolFormat.MaxIdBytes + 1), null, DateTimeOffset.UnixEpoch, default);

        var refused = Assert.Throws<SpoolRecordTooLargeException>(() => SpoolFormat.FramedSize(record));
        Assert.Equal(record.Id, refused.RecordId);
    }

    [Fact]
    public void Checkpoint_HasTheDocumentedBytes_AndReadsBack()
    {
        var directory = Directory.CreateTempSubdirectory("edgeapp-checkpoint-").FullName;
        try
        {
            SpoolCheckpoint.Write(directory, new SpoolPosition(3, 1234), flushToDisk: false);

            Assert.Equal("45534350010000000300000000000000d204000000000000f06688af", Convert.ToHexStringLower(File.ReadAllBytes(Path.Combine(directory, "checkpoint"))));
            Assert.Equal(new SpoolPosition(3, 1234), SpoolCheckpoint.TryRead(directory, out var problem));
            Assert.Null(problem);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string Encode(SpoolRecord record)
    {
        var bytes = new byte[SpoolFormat.FramedSize(record)];
        SpoolFormat.Write(record, bytes);
        return Convert.ToHexStringLower(bytes);
    }
}
