namespace EdgeApp.Spool;

/// <summary>A byte offset in a numbered segment; positions order by segment, then offset.</summary>
internal readonly record struct SpoolPosition(long Segment, long Offset) : IComparable<SpoolPosition>
{
    public int CompareTo(SpoolPosition other) =>
        Segment != other.Segment ? Segment.CompareTo(other.Segment) : Offset.CompareTo(other.Offset);

    public static bool operator <(SpoolPosition left, SpoolPosition right) => left.CompareTo(right) < 0;

    public static bool operator >(SpoolPosition left, SpoolPosition right) => left.CompareTo(right) > 0;

    public static bool operator <=(SpoolPosition left, SpoolPosition right) => left.CompareTo(right) <= 0;

    public static bool operator >=(SpoolPosition left, SpoolPosition right) => left.CompareTo(right) >= 0;

    public override string ToString() => $"{Segment}:{Offset}";
}
