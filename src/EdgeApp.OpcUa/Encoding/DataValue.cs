namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// A value with its status and timestamps (Part 4 §7, Part 6 §5.2.2.17). A struct: a ReadResponse of 1,000 results
/// is one array, not 1,000 objects.
/// </summary>
public readonly record struct DataValue(
    Variant Value,
    StatusCode StatusCode = default,
    DateTime SourceTimestamp = default,
    DateTime ServerTimestamp = default,
    ushort SourcePicoseconds = 0,
    ushort ServerPicoseconds = 0)
{
    public DataValue(StatusCode statusCode)
        : this(Variant.Null, statusCode)
    {
    }
}
