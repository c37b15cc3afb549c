namespace EdgeApp.OpcUa.Encoding;

/// <summary>A 32-bit OPC UA status code (Part 4 §7, Part 6 §5.2.2.11); the top two bits give the severity.</summary>
public readonly record struct StatusCode(uint Code)
{
    public bool IsGood => (Code & 0xC000_0000) == 0;

    public bool IsBad => (Code & 0x8000_0000) != 0;

    public bool IsUncertain => (Code & 0xC000_0000) == 0x4000_0000;

    /// <summary>The code without the info bits (lower 16), for comparing with the well-known codes.</summary>
    public StatusCode WithoutInfoBits => new(Code & 0xFFFF_0000);

    public static implicit operator StatusCode(uint code) => new(code);

    public override string ToString() => StatusCodes.NameOf(this) is { } name ? $"{name} (0x{Code:X8})" : $"0x{Code:X8}";
}
