namespace EdgeApp.Messaging;

/// <summary>One topic this app subscribes to and the handler its events go to.</summary>
public sealed class TopicSubscription
{
    public required string Topic { get; init; }

    public required Type HandlerType { get; init; }

    /// <summary>Where dropped and undecodable events go; <c>&lt;topic&gt;-deadletter</c> unless set.</summary>
    public string? DeadLetterTopic { get; set; }

    public string EffectiveDeadLetterTopic => DeadLetterTopic ?? Topic + "-deadletter";
}
