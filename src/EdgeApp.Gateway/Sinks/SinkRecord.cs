using EdgeApp.Messaging;

namespace EdgeApp.Gateway.Sinks;

/// <summary>
/// An event as sinks see it: the CloudEvent JSON exactly as received, its id, the key that keeps per-source
/// order (the CloudEvent subject, else its source) and its time. The spool stores the same fields.
/// </summary>
public sealed record SinkRecord(string Id, string? PartitionKey, DateTimeOffset? EventTime, ReadOnlyMemory<byte> Envelope)
{
    public static SinkRecord From(CloudEvent cloudEvent) =>
        new(cloudEvent.Id, cloudEvent.Subject ?? cloudEvent.Source, cloudEvent.Time, cloudEvent.Envelope);
}

/// <summary>A record a sink can never take (say, larger than the destination allows); it goes to the dead-letter sink.</summary>
public sealed record SinkRejection(int Index, string Reason);
