namespace EdgeApp.Messaging;

/// <summary>Topic names double as Redis keys and URL segments, so they are kept to a safe alphabet.</summary>
public static class TopicName
{
    public static bool IsValid(string? topic) =>
        !string.IsNullOrEmpty(topic)
        && topic.Length <= 249
        && topic.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':' or '/');

    public static void Validate(string? topic)
    {
        if (!IsValid(topic))
        {
            throw new ArgumentException(
                $"Topic '{topic}' is not valid: use 1-249 characters of letters, digits, '-', '_', '.', ':' or '/'.", nameof(topic));
        }
    }
}
