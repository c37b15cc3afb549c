namespace EdgeApp.OpcUa.Encoding;

/// <summary>UA DateTime: 100 ns ticks since 1601-01-01 UTC, clamped at both ends (Part 6 §5.2.2.5).</summary>
public static class UaDateTime
{
    private const long EpochTicks = 504_911_232_000_000_000; // new DateTime(1601, 1, 1).Ticks

    public static long ToWire(DateTime value)
    {
        if (value.Kind == DateTimeKind.Local)
        {
            value = value.ToUniversalTime();
        }

        if (value.Ticks <= EpochTicks)
        {
            return 0;
        }

        return value == DateTime.MaxValue ? long.MaxValue : value.Ticks - EpochTicks;
    }

    public static DateTime FromWire(long value)
    {
        if (value <= 0)
        {
            return DateTime.MinValue;
        }

        return value >= DateTime.MaxValue.Ticks - EpochTicks ? DateTime.MaxValue : new DateTime(value + EpochTicks, DateTimeKind.Utc);
    }
}
