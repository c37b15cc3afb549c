namespace EdgeApp.Messaging;

/// <summary>An event to publish: its payload and the CloudEvent attributes a publisher may choose.</summary>
/// <param name="Data">The payload; JSON unless <see cref="DataContentType"/> says otherwise.</param>
public readonly record struct OutgoingEvent(ReadOnlyMemory<byte> Data)
{
    /// <summary>The event id; a new UUID when null. Lets a producer make retries identifiable as duplicates.</summary>
    public string? Id { get; init; }

    /// <summary>What the event is about (a machine, an OPC endpoint); sinks use it as the partition key.</summary>
    public string? Subject { get; init; }

    /// <summary>The CloudEvent type; Dapr's <c>com.dapr.event.sent</c> when null.</summary>
    public string? Type { get; init; }

    public string DataContentType { get; init; } = CloudEventConstants.JsonContentType;

    /// <summary>When the event happened; the time of publishing when null (a reading sent late keeps its own time).</summary>
    public DateTimeOffset? Time { get; init; }
}
