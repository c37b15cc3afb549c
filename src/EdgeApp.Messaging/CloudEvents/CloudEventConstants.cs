namespace EdgeApp.Messaging;

/// <summary>Attribute names and defaults of the envelope Dapr's pub/sub writes (components-contrib pubsub/envelope.go).</summary>
public static class CloudEventConstants
{
    public const string SpecVersion = "1.0";
    public const string DefaultType = "com.dapr.event.sent";
    public const string JsonContentType = "application/json";
    public const string CloudEventsContentType = "application/cloudevents+json";

    internal static class Attributes
    {
        public const string Data = "data";
        public const string DataBase64 = "data_base64";
        public const string DataContentType = "datacontenttype";
        public const string Id = "id";
        public const string PubSubName = "pubsubname";
        public const string Source = "source";
        public const string SpecVersion = "specversion";
        public const string Subject = "subject";
        public const string Time = "time";
        public const string Topic = "topic";
        public const string TraceId = "traceid";
        public const string TraceParent = "traceparent";
        public const string TraceState = "tracestate";
        public const string Type = "type";
    }

    /// <summary>True for <c>application/json</c>, <c>text/json</c> and any <c>+json</c> media type.</summary>
    public static bool IsJson(string? contentType)
    {
        if (string.IsNullOrEmpty(contentType))
        {
            return false;
        }

        var mediaType = contentType.AsSpan();
        var parameters = mediaType.IndexOf(';');
        if (parameters >= 0)
        {
            mediaType = mediaType[..parameters];
        }

        mediaType = mediaType.Trim();
        return mediaType.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.Equals("text/json", StringComparison.OrdinalIgnoreCase)
            || mediaType.EndsWith("+json", StringComparison.OrdinalIgnoreCase);
    }
}
