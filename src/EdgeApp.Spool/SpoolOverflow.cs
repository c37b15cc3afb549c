namespace EdgeApp.Spool;

/// <summary>What <see cref="DiskSpool.AppendAsync"/> does when the records would take the spool past its size limit.</summary>
public enum SpoolOverflow
{
    /// <summary>Refuse the whole batch with <see cref="SpoolFullException"/>, so the caller holds its upstream acknowledgement.</summary>
    Backpressure,

    /// <summary>Remove the oldest records to make room, counting them in <c>edgeapp.spool.dropped</c>.</summary>
    DropOldest,
}
