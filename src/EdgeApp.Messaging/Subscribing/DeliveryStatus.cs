namespace EdgeApp.Messaging;

/// <summary>What a handler made of a message; the same three answers Dapr accepts from an app.</summary>
public enum DeliveryStatus
{
    /// <summary>Done: acknowledge it.</summary>
    Success,

    /// <summary>Not now: leave it unacknowledged so it is delivered again.</summary>
    Retry,

    /// <summary>Never: move it to the dead-letter topic and acknowledge it.</summary>
    Drop,
}
