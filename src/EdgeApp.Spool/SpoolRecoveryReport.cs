namespace EdgeApp.Spool;

/// <summary>
/// What <see cref="DiskSpool.Open"/> found from the checkpoint on. <paramref name="RecordsRecovered"/> are the valid
/// records waiting to be drained; <paramref name="CorruptRecordsSkipped"/> counts damaged stretches that valid records
/// follow (each a record whose checksum failed, or the bytes skipped to resynchronise on the next valid record);
/// <paramref name="TornBytesTruncated"/> are bytes at the end of segments that held no complete record and were cut.
/// </summary>
public sealed record SpoolRecoveryReport(long RecordsRecovered, long CorruptRecordsSkipped, long TornBytesTruncated);
