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

    /// <summary>Deepest nesting of Variants, DiagnosticInfos and ExtensionObjects.</summary>
    public int MaxNestingDepth { get; init; } = 64;

    public EncodeableRegistry Types { get; init; } = EncodeableRegistry.Default;
}
