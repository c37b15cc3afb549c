using EdgeApp.OpcUa.Encoding;
using static EdgeApp.Tests.OpcUa.Codec;

namespace EdgeApp.Tests.OpcUa.Encoding;

/// <summary>Arrays of elements much larger in memory than on the wire cannot make the decoder allocate without bound.</summary>
public sealed class DecoderAllocationTests
{
    private static byte[] DataValueArray(int count)
    {
        // Variant with an array of DataValue (type 23 | 0x80), count, then empty DataValues (encoding mask 0, 1 byte each).
        var bytes = new byte[5 + count];
        bytes[0] = 0x80 | 23;
        BitConverter.TryWriteBytes(bytes.AsSpan(1), count);
        return bytes;
    }

    [Fact]
    public void MillionEmptyDataValues_InOneMegabyte_AreRejected() =>
        AssertDecodeFails(DataValueArray(1_000_000), (ref UaReader r) => r.ReadVariant(), StatusCodes.BadEncodingLimitsExceeded);

    [Fact]
    public void TenThousandEmptyDataValues_AreDecoded()
    {
        var reader = new UaReader(DataValueArray(10_000));
        var variant = reader.ReadVariant();
        Assert.Equal(10_000, variant.Array!.Length);
    }

    [Fact]
    public void TheBudgetIsSharedByEveryArrayOfTheMessage()
    {
        // Two arrays of 12,000 empty DataValues (about 670 KB in memory each) in a 24 KB message: together over 1 MB.
        var one = DataValueArray(12_000);
        var reader = new UaReader([.. one, .. one]);
        reader.ReadVariant();
        var failed = false;
        try
        {
            reader.ReadVariant();
        }
        catch (OpcUaException ex) when (ex.StatusCode == StatusCodes.BadEncodingLimitsExceeded)
        {
            failed = true;
        }

        Assert.True(failed);
    }
}
