namespace EdgeApp.Spool;

internal static partial class SpoolLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Spool {Spool} opened: {Records} records ({Bytes} bytes) waiting in {Segments} segments")]
    public static partial void Recovered(ILogger logger, string spool, long records, long bytes, int segments);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} recovered {Records} records; skipped {Corrupt} corrupt records and cut {TornBytes} torn bytes")]
    public static partial void RecoveredDamaged(ILogger logger, string spool, long records, long corrupt, long tornBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} checkpoint is unusable ({Problem}); draining again from the oldest segment, so some records may be delivered twice")]
    public static partial void CheckpointUnusable(ILogger logger, string spool, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} could not cut the torn tail of {Path}; the segment is sealed at {Length} bytes: {Problem}")]
    public static partial void TruncateFailed(ILogger logger, string spool, string path, long length, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} found {Bytes} damaged bytes at {Segment}:{Offset} while draining; skipped them")]
    public static partial void CorruptWhileDraining(ILogger logger, string spool, long segment, long offset, long bytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} is full ({MaxBytes} bytes); dropping the oldest records to make room")]
    public static partial void Dropping(ILogger logger, string spool, long maxBytes);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} could not delete drained segment {Path}; it is removed on the next open: {Problem}")]
    public static partial void DeleteFailed(ILogger logger, string spool, string path, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Spool {Spool} could not persist its read position; after a restart some records may be delivered twice: {Problem}")]
    public static partial void CheckpointFailed(ILogger logger, string spool, string problem);
}
