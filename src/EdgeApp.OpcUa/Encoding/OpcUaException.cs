namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// The one exception type of the stack: a protocol or service failure carrying the StatusCode that goes on the wire
/// (in an Error message, a ServiceFault or a result).
/// </summary>
public sealed class OpcUaException : Exception
{
    public OpcUaException(StatusCode statusCode, string? message = null, Exception? inner = null)
        : base(message is null ? statusCode.ToString() : $"{statusCode}: {message}", inner)
    {
        StatusCode = statusCode;
    }

    public StatusCode StatusCode { get; }
}
