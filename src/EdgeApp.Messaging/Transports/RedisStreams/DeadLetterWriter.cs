using System.Text.Json;
using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>
/// Moves a message to its dead-letter topic unchanged (its <c>data</c> bytes), with the reason in the entry's
/// <c>metadata</c> map so a Dapr subscriber of that topic reads it like any other message.
/// </summary>
internal static class DeadLetterWriter
{
    public static Task WriteAsync(IDatabase database, string deadLetterTopic, string sourceTopic, StreamMessage message, string reason, long maxLenApprox)
    {
        var metadata = JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, string>
            {
                ["deadLetterReason"] = reason,
                ["sourceTopic"] = sourceTopic,
                ["sourceMessageId"] = message.Id,
            },
            MessagingJsonContext.Default.DictionaryStringString);
        return database.StreamAddAsync(
            deadLetterTopic,
            [new NameValueEntry(StreamLayout.DataField, message.Data), new NameValueEntry(StreamLayout.MetadataField, metadata)],
            maxLength: maxLenApprox > 0 ? maxLenApprox : null,
            useApproximateMaxLength: true);
    }
}
