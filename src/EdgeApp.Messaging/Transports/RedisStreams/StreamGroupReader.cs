using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>The consumer-group commands Dapr's pubsub.redis issues, on one topic, for one group.</summary>
internal sealed class StreamGroupReader(IDatabase shared, IDatabase blocking, string topic, string group)
{
    private readonly RedisKey key = topic;

    /// <summary><c>XGROUP CREATE topic group 0 MKSTREAM</c>: a new group starts at the beginning of the stream.</summary>
    public async Task EnsureGroupAsync()
    {
        try
        {
            await shared.StreamCreateConsumerGroupAsync(key, group, "0", createStream: true).ConfigureAwait(false);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            // The group exists already: keep its position.
        }
    }

    /// <summary><c>XREADGROUP GROUP g g COUNT n BLOCK ms STREAMS topic &gt;</c>: entries never delivered before.</summary>
    public async Task<List<StreamMessage>> ReadNewAsync(int count, TimeSpan block, CancellationToken cancellationToken)
    {
        var reply = await blocking.ExecuteAsync(
            "XREADGROUP",
            "GROUP", group, group,
            "COUNT", count,
            "BLOCK", (long)block.TotalMilliseconds,
            "STREAMS", topic, ">").WaitAsync(cancellationToken).ConfigureAwait(false);
        return StreamMessage.FromReadReply(reply);
    }

    /// <summary>
    /// <c>XREADGROUP GROUP g g COUNT n STREAMS topic &lt;id&gt;</c>: this consumer's own pending entries after
    /// <paramref name="afterId"/>, in stream order, each with its delivery count from XPENDING.
    /// </summary>
    public async Task<List<(StreamMessage Message, int DeliveryCount)>> ReadOwnPendingAsync(string afterId, int count)
    {
        var reply = await shared.ExecuteAsync(
            "XREADGROUP", "GROUP", group, group, "COUNT", count, "STREAMS", topic, afterId).ConfigureAwait(false);
        var messages = StreamMessage.FromReadReply(reply);
        if (messages.Count == 0)
        {
            return [];
        }

        var pending = await shared.StreamPendingMessagesAsync(
            key, group, messages.Count, group, messages[0].Id, messages[^1].Id).ConfigureAwait(false);
        var deliveries = pending.ToDictionary(p => p.MessageId.ToString(), p => p.DeliveryCount, StringComparer.Ordinal);
        return messages.Select(m => (m, Math.Max(2, deliveries.GetValueOrDefault(m.Id)))).ToList();
    }

    /// <summary>
    /// XPENDING for entries idle at least <paramref name="minIdle"/> (except those in <paramref name="inHand"/>),
    /// then XCLAIM them. Entries XCLAIM reports deleted come back marked <see cref="StreamMessage.Deleted"/>.
    /// </summary>
    public async Task<List<(StreamMessage Message, int DeliveryCount)>> ClaimIdleAsync(int count, TimeSpan minIdle, IReadOnlySet<string> inHand)
    {
        var idleMs = (long)minIdle.TotalMilliseconds;
        var pending = (await shared.StreamPendingMessagesAsync(key, group, count, RedisValue.Null, "-", "+", idleMs).ConfigureAwait(false))
            .Where(p => !inHand.Contains(p.MessageId.ToString()))
            .ToArray();
        if (pending.Length == 0)
        {
            return [];
        }

        var ids = pending.Select(p => p.MessageId).ToArray();
        var entries = await shared.StreamClaimAsync(key, group, group, idleMs, ids).ConfigureAwait(false);
        var claimed = new List<(StreamMessage, int)>(entries.Length);
        for (var i = 0; i < entries.Length; i++)
        {
            // Redis before 7 answers nil for a claimed id whose entry was deleted; Redis 7 drops such ids itself.
            var message = !entries[i].IsNull
                ? StreamMessage.FromEntry(entries[i])
                : entries.Length == ids.Length ? new StreamMessage(ids[i].ToString(), default, Deleted: true) : default;
            var delivered = pending.FirstOrDefault(p => p.MessageId.ToString() == message.Id).DeliveryCount;
            claimed.Add((message, delivered + 1));
        }

        // An id XCLAIM left out was taken by another consumer in between (or is gone): it is not ours to touch.
        return claimed.Where(c => c.Item1.Id is { Length: > 0 }).ToList();
    }

    public Task AcknowledgeAsync(RedisValue[] ids) => shared.StreamAcknowledgeAsync(key, group, ids);
}
