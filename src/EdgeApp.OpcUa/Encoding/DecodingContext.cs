namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// Limits applied while decoding untrusted input (Part 6 §5.2.2: "decoders shall check limits before allocating"),
/// plus the registry used to decode ExtensionObject bodies.
/// </summary>
public sealed class DecodingContext
{
    public static DecodingContext Default { get; } = new();

    /// <summary>Longest String in bytes.</summary>
    public int MaxStringLength { get; init; } = 1 << 20;

    /// <summary>Longest ByteString (and XmlElement, ExtensionObject body) in bytes.</summary>
    public int MaxByteStringLength { get; init; } = 16 << 20;

    /// <summary>Most elements in one array (including matrices).</summary>
    public int MaxArrayLength { get; init; } = 1 << 20;

    /// <summary>
    /// Bytes the decoder may allocate for arrays per byte of the message (charged as element size x count before each
    /// array is allocated): an element can be much larger in memory than on the wire (an empty DataValue is 1 byte
    /// encoded, about 56 in memory), so a message cannot make the decoder allocate more than this multiple of its size.
    /// </summary>
    public int MaxAllocationFactor { get; init; } = 16;

    /// <summary>Array bytes any message may allocate, however small it is.</summary>
    public long MinAllocationBudget { get; init; } = 1 << 20;

    /// <summary>Deepest nesting of Variants, DiagnosticInfos and ExtensionObjects.</summary>
    public int MaxNestingDepth { get; init; } = 64;

    public EncodeableRegistry Types { get; init; } = EncodeableRegistry.Default;
}
