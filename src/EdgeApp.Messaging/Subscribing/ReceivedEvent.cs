namespace EdgeApp.Messaging;

/// <summary>A CloudEvent as one delivery of it: the broker's message id and how often it was delivered.</summary>
public sealed class ReceivedEvent(CloudEvent cloudEvent, string topic, string messageId, int deliveryCount)
{
    public CloudEvent Event { get; } = cloudEvent;

    /// <summary>The topic the subscription reads (the stream key).</summary>
    public string Topic { get; } = topic;

    /// <summary>The broker's id for this message (Redis stream entry id, Dapr entry id).</summary>
    public string MessageId { get; } = messageId;

    /// <summary>1 on first delivery; more when redelivered.</summary>
    public int DeliveryCount { get; } = deliveryCount;
}
