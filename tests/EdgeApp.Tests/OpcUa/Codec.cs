using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.Tests.OpcUa;

/// <summary>Encode/decode helpers for tests (lambdas cannot take ref structs without a delegate type).</summary>
public static class Codec
{
    public delegate void Writer(ref UaWriter writer);

    public delegate T Reader<out T>(ref UaReader reader);

    public static byte[] Encode(Writer write)
    {
        using var buffer = new ByteBuffer(16);
        var writer = new UaWriter(buffer);
        write(ref writer);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Decodes and checks that every byte was consumed.</summary>
    public static T Decode<T>(byte[] bytes, Reader<T> read, DecodingContext? context = null)
    {
        var reader = new UaReader(bytes, context);
        var value = read(ref reader);
        Assert.Equal(0, reader.Remaining);
        return value;
    }

    public static byte[] Hex(string hex) => Convert.FromHexString(hex.Replace(" ", string.Empty, StringComparison.Ordinal));

    public static string ToHex(byte[] bytes) => Convert.ToHexString(bytes);

    /// <summary>Asserts that decoding fails with the given status, without any other exception type.</summary>
    public static void AssertDecodeFails<T>(byte[] bytes, Reader<T> read, StatusCode expected, DecodingContext? context = null)
    {
        var ex = Assert.Throws<OpcUaException>(() =>
        {
            var reader = new UaReader(bytes, context);
            read(ref reader);
        });
        Assert.Equal(expected, ex.StatusCode);
    }
}
