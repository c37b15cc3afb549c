namespace EdgeApp.Messaging;

/// <summary>Raised when bytes from the broker are not a usable CloudEvent; such messages are dead-lettered.</summary>
public sealed class CloudEventFormatException : Exception
{
    public CloudEventFormatException(string message)
        : base(message)
    {
    }

    public CloudEventFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
