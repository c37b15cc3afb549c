namespace EdgeApp.OpcUa.Transport;

/// <summary>The three-letter message types and chunk types of the UA Connection Protocol (Part 6 §7.1.2).</summary>
public static class MessageTypes
{
    // The 3 ASCII bytes read as a little-endian 24-bit integer.
    public const uint Hello = 'H' | ('E' << 8) | ('L' << 16);
    public const uint Acknowledge = 'A' | ('C' << 8) | ('K' << 16);
    public const uint Error = 'E' | ('R' << 8) | ('R' << 16);
    public const uint ReverseHello = 'R' | ('H' << 8) | ('E' << 16);
    public const uint Message = 'M' | ('S' << 8) | ('G' << 16);
    public const uint OpenSecureChannel = 'O' | ('P' << 8) | ('N' << 16);
    public const uint CloseSecureChannel = 'C' | ('L' << 8) | ('O' << 16);

    public const byte Final = (byte)'F';
    public const byte Intermediate = (byte)'C';
    public const byte Abort = (byte)'A';

    /// <summary>Every frame starts with MessageType (3), ChunkType (1) and MessageSize (4, header included).</summary>
    public const int HeaderSize = 8;

    public static bool IsKnown(uint type) => type is Hello or Acknowledge or Error or ReverseHello or Message or OpenSecureChannel or CloseSecureChannel;

    /// <summary>Secure conversation messages (MSG/OPN/CLO) may be chunked; connection messages are always final.</summary>
    public static bool IsSecureConversation(uint type) => type is Message or OpenSecureChannel or CloseSecureChannel;

    public static string Name(uint type) => string.Create(3, type, static (span, t) =>
    {
        span[0] = (char)(t & 0xFF);
        span[1] = (char)((t >> 8) & 0xFF);
        span[2] = (char)((t >> 16) & 0xFF);
    });
}
