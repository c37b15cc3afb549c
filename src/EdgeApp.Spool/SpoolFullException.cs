namespace EdgeApp.Spool;

/// <summary>
/// Thrown by <see cref="DiskSpool.AppendAsync"/> under <see cref="SpoolOverflow.Backpressure"/> when the batch does not
/// fit. Nothing of the batch was written; the same batch may fit once the spool has drained.
/// </summary>
public sealed class SpoolFullException : Exception
{
    public SpoolFullException()
    {
    }

    public SpoolFullException(string message)
        : base(message)
    {
    }

    public SpoolFullException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>
/// Thrown by <see cref="DiskSpool.AppendAsync"/>, under either overflow policy, for a record that could never fit
/// (larger than <c>Spool:MaxBytes</c>, or an id or partition key too long to store). Nothing of the batch was written;
/// retrying cannot help, so the record belongs in a dead-letter destination.
/// </summary>
public sealed class SpoolRecordTooLargeException : ArgumentException
{
    public SpoolRecordTooLargeException()
    {
    }

    public SpoolRecordTooLargeException(string message)
        : base(message)
    {
    }

    public SpoolRecordTooLargeException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The id of the record refused, when known.</summary>
    public string? RecordId { get; init; }

    /// <summary>The position of the record refused in the batch given to <see cref="DiskSpool.AppendAsync"/>; -1 when unknown.</summary>
    public int RecordIndex { get; init; } = -1;
}
