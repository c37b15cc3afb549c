using EdgeApp.OpcUa.Encoding;
using static EdgeApp.Tests.OpcUa.Codec;

namespace EdgeApp.Tests.OpcUa.Encoding;

/// <summary>Lengths and counts from the wire are checked before allocation; truncation is BadDecodingError.</summary>
public sealed class DecoderLimitTests
{
    [Fact]
    public void String_LongerThanLimit_IsRejectedBeforeAllocation() =>
        AssertDecodeFails(Hex("FFFFFF7F"), (ref UaReader r) => r.ReadString(), StatusCodes.BadEncodingLimitsExceeded);

    [Fact]
    public void String_LongerThanInput_IsDecodingError() =>
        AssertDecodeFails(Hex("10000000 41"), (ref UaReader r) => r.ReadString(), StatusCodes.BadDecodingError);

    [Fact]
    public void String_InvalidUtf8_IsDecodingError() =>
        AssertDecodeFails(Hex("02000000 C328"), (ref UaReader r) => r.ReadString(), StatusCodes.BadDecodingError);

    [Fact]
    public void Array_HugeCount_IsRejectedBeforeAllocation() =>
        AssertDecodeFails(Hex("86 FFFFFF7F"), (ref UaReader r) => r.ReadVariant(), StatusCodes.BadEncodingLimitsExceeded);

    [Fact]
    public void Array_CountBeyondInput_IsDecodingError() =>
        AssertDecodeFails(Hex("86 00010000 01000000"), (ref UaReader r) => r.ReadVariant(), StatusCodes.BadDecodingError);

    [Fact]
    public void Array_CountOverConfiguredLimit_IsRejected() =>
        AssertDecodeFails(Hex("86 03000000 000000000000000000000000"), (ref UaReader r) => r.ReadVariant(), StatusCodes.BadEncodingLimitsExceeded, new DecodingContext { MaxArrayLength = 2 });

    [Fact]
    public void Variant_UnknownTypeId_IsDecodingError() =>
        AssertDecodeFails(Hex("1A"), (ref UaReader r) => r.ReadVariant(), StatusCodes.BadDecodingError);

    [Fact]
    public void Variant_ScalarVariant_IsDecodingError() =>
        AssertDecodeFails(Hex("18 06 01000000"), (ref UaReader r) => r.ReadVariant(), StatusCodes.BadDecodingError);

    [Fact]
    public void Matrix_DimensionsNotMatchingLength_IsDecodingError() =>
        AssertDecodeFails(Hex("C6 02000000 01000000 02000000 02000000 02000000 02000000"), (ref UaReader r) => r.ReadVariant(), StatusCodes.BadDecodingError);

    [Fact]
    public void NodeId_UnknownEncoding_IsDecodingError() =>
        AssertDecodeFails(Hex("07 00"), (ref UaReader r) => r.ReadNodeId(), StatusCodes.BadDecodingError);

    [Fact]
    public void ExtensionObject_InvalidEncodingByte_IsDecodingError() =>
        AssertDecodeFails(Hex("0000 03"), (ref UaReader r) => r.ReadExtensionObject(), StatusCodes.BadDecodingError);

    [Fact]
    public void NestedVariantArrays_BeyondDepthLimit_AreRejected()
    {
        // 100 levels of "array of one Variant" nested in each other.
        var bytes = Enumerable.Range(0, 100).SelectMany(_ => Hex("98 01000000")).Concat(Hex("00")).ToArray();
        AssertDecodeFails(bytes, (ref UaReader r) => r.ReadVariant(), StatusCodes.BadEncodingLimitsExceeded);
    }

    [Fact]
    public void NestedDiagnosticInfos_BeyondDepthLimit_AreRejected()
    {
        var bytes = Enumerable.Repeat((byte)0x40, 200).Append((byte)0).ToArray();
        AssertDecodeFails(bytes, (ref UaReader r) => r.ReadDiagnosticInfo(), StatusCodes.BadEncodingLimitsExceeded);
    }

    [Fact]
    public void EveryTruncation_OfAValidValue_FailsCleanly()
    {
        var full = Encode((ref UaWriter w) => w.WriteDataValue(new DataValue(Variant.FromArray(new[] { "a", "bc" }), StatusCodes.Bad, DateTime.UtcNow)));
        for (var length = 0; length < full.Length; length++)
        {
            AssertDecodeFails(full[..length], (ref UaReader r) => r.ReadDataValue(), StatusCodes.BadDecodingError);
        }
    }
}
