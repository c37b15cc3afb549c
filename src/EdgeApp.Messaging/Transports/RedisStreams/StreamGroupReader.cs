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

    /// <summary><c>XREADGROUP GROUP g g COUNT n BLOCK ms STREAMS topic &gt;</c>.</summary>
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
    /// XPENDING for entries idle at least <paramref name="minIdle"/>, then XCLAIM them. Entries that no longer
    /// exist (trimmed) are acknowledged so they leave the pending list.
    /// </summary>
    public async Task<List<(StreamMessage Message, int DeliveryCount)>> ClaimIdleAsync(int count, TimeSpan minIdle)
    {
        var idleMs = (long)minIdle.TotalMilliseconds;
        var pending = await shared.StreamPendingMessagesAsync(
            key, group, count, RedisValue.Null, "-", "+", idleMs).ConfigureAwait(false);
        var claimed = new List<(StreamMessage, int)>(pending.Length);
        if (pending.Length == 0)
        {
            return claimed;
        }

        var ids = pending.Select(p => p.MessageId).ToArray();
        var entries = await shared.StreamClaimAsync(key, group, group, idleMs, ids).ConfigureAwait(false);
        var deliveries = pending.ToDictionary(p => p.MessageId.ToString(), p => p.DeliveryCount);
        var found = new HashSet<string>(StringComparer.Ordinal);
        foreach (var entry in entries)
        {
            if (entry.IsNull)
            {
                continue;
            }

            var message = StreamMessage.FromEntry(entry);
            found.Add(message.Id);
            claimed.Add((message, deliveries.GetValueOrDefault(message.Id) + 1));
        }

        var vanished = ids.Where(id => !found.Contains(id.ToString())).ToArray();
        if (vanished.Length > 0)
        {
            await shared.StreamAcknowledgeAsync(key, group, vanished).ConfigureAwait(false);
        }

        return claimed;
    }

    public Task AcknowledgeAsync(RedisValue[] ids) => shared.StreamAcknowledgeAsync(key, group, ids);
}
