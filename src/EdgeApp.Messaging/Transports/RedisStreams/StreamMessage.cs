using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>
/// One stream entry: its id and the bytes of its <c>data</c> field (empty when the field is missing).
/// <see cref="Deleted"/> marks a pending entry whose content is gone (trimmed from the stream before it was handled).
/// </summary>
internal readonly record struct StreamMessage(string Id, ReadOnlyMemory<byte> Data, bool Deleted = false)
{
    private static readonly RedisValue DataFieldName = StreamLayout.DataField;

    /// <summary>Reads an XREADGROUP reply in either protocol: RESP2 nests [[stream, entries]], RESP3 maps stream to entries.</summary>
    public static List<StreamMessage> FromReadReply(RedisResult reply)
    {
        var messages = new List<StreamMessage>();
        if (reply.IsNull)
        {
            return messages;
        }

        var items = (RedisResult[])reply!;
        if (reply.Resp3Type == ResultType.Map)
        {
            for (var i = 1; i < items.Length; i += 2)
            {
                AddEntries(messages, items[i]);
            }
        }
        else
        {
            foreach (var stream in items)
            {
                AddEntries(messages, ((RedisResult[])stream!)[1]);
            }
        }

        return messages;
    }

    public static StreamMessage FromEntry(StreamEntry entry)
    {
        var data = entry[StreamLayout.DataField];
        return new StreamMessage(entry.Id.ToString(), data.IsNull ? default : (byte[])data!);
    }

    private static void AddEntries(List<StreamMessage> messages, RedisResult entries)
    {
        if (entries.IsNull)
        {
            return;
        }

        foreach (var entry in (RedisResult[])entries!)
        {
            var parts = (RedisResult[])entry!;
            var id = parts[0].ToString();
            ReadOnlyMemory<byte> data = default;
            if (parts.Length < 2 || parts[1].IsNull)
            {
                messages.Add(new StreamMessage(id, data, Deleted: true));
                continue;
            }

            // A field list is present: the entry exists, with or without a data field.
            var fields = (RedisResult[])parts[1]!;
            for (var f = 0; f + 1 < fields.Length; f += 2)
            {
                if ((RedisValue)fields[f] == DataFieldName)
                {
                    data = (byte[]?)fields[f + 1] ?? default(ReadOnlyMemory<byte>);
                    break;
                }
            }

            messages.Add(new StreamMessage(id, data));
        }
    }
}
