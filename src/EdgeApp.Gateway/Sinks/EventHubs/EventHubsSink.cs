using System.Security.Cryptography;
using System.Text;
using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using EdgeApp.Messaging;

namespace EdgeApp.Gateway.Sinks.EventHubs;

/// <summary>
/// Sends CloudEvents (structured mode: the envelope is the body) to Azure Event Hubs. Records are grouped by
/// partition key so each source's order holds in its partition; each group is packed into batches with
/// <c>TryAdd</c> up to the hub's limit. A record too large for an empty batch can never be sent: it is rejected.
/// </summary>
public sealed class EventHubsSink(string name, EventHubProducerClient producer, long? maxBatchBytes) : IEventSink, IAsyncDisposable
{
    /// <summary>Event Hubs refuses partition keys longer than this.</summary>
    internal const int MaxPartitionKeyLength = 128;

    public string Name => name;

    public async ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        List<SinkRejection>? rejections = null;
        foreach (var group in GroupByPartitionKey(batch))
        {
            var options = new CreateBatchOptions { PartitionKey = group.Key, MaximumSizeInBytes = maxBatchBytes };
            var current = await producer.CreateBatchAsync(options, cancellationToken);
            try
            {
                foreach (var index in group.Indexes)
                {
                    var data = ToEventData(batch[index]);
                    if (current.TryAdd(data))
                    {
                        continue;
                    }

                    if (current.Count > 0)
                    {
                        await producer.SendAsync(current, cancellationToken);
                        current.Dispose();
                        current = await producer.CreateBatchAsync(options, cancellationToken);
                        if (current.TryAdd(data))
                        {
                            continue;
                        }
                    }

                    (rejections ??= []).Add(new SinkRejection(
                        index, $"{batch[index].Envelope.Length} bytes exceed the Event Hubs batch limit of {current.MaximumSizeInBytes} bytes"));
                }

                if (current.Count > 0)
                {
                    await producer.SendAsync(current, cancellationToken);
                }
            }
            finally
            {
                current.Dispose();
            }
        }

        return rejections ?? (IReadOnlyList<SinkRejection>)[];
    }

    public ValueTask DisposeAsync() => producer.DisposeAsync();

    internal static EventData ToEventData(SinkRecord record) => new(record.Envelope)
    {
        ContentType = CloudEventConstants.CloudEventsContentType,
        MessageId = record.Id,
    };

    /// <summary>Keys too long for Event Hubs are replaced by a stable hash, so the same source keeps one partition.</summary>
    internal static string? PartitionKeyFor(string? key) =>
        key is null || key.Length <= MaxPartitionKeyLength
            ? key
            : Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));

    private static IEnumerable<(string? Key, List<int> Indexes)> GroupByPartitionKey(IReadOnlyList<SinkRecord> batch)
    {
        var groups = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var order = new List<(string? Key, List<int> Indexes)>();
        for (var i = 0; i < batch.Count; i++)
        {
            var key = PartitionKeyFor(batch[i].PartitionKey);
            if (!groups.TryGetValue(key ?? string.Empty, out var indexes))
            {
                indexes = [];
                groups[key ?? string.Empty] = indexes;
                order.Add((key, indexes));
            }

            indexes.Add(i);
        }

        return order;
    }
}
