namespace EdgeApp.Spool;

/// <summary>
/// One event held by a <see cref="DiskSpool"/>. <paramref name="Id"/> and <paramref name="PartitionKey"/> are stored as
/// UTF-8 of at most 65,535 and 65,534 bytes; the payload is opaque.
/// </summary>
public sealed record SpoolRecord(string Id, string? PartitionKey, DateTimeOffset EnqueuedAt, ReadOnlyMemory<byte> Payload);
