using Azure.Messaging.EventHubs;
using Azure.Messaging.EventHubs.Producer;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Gateway.Sinks.EventHubs;

namespace EdgeApp.Tests.Gateway;

/// <summary>The Event Hubs sink against the SDK's own test seams: a producer subclass and EventHubsModelFactory batches.</summary>
public class EventHubsSinkTests
{
    [Fact]
    public async Task Write_SendsOneBatchPerPartitionKey_KeepingEachSourcesOrder()
    {
        var producer = new RecordingProducer(maxBatchBytes: 1_000_000);
        var sink = new EventHubsSink("cloud", producer, maxBatchBytes: null);
        var batch = new[] { Record("a1", "machine-a"), Record("b1", "machine-b"), Record("a2", "machine-a"), Record("b2", "machine-b") };

        var rejections = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.Empty(rejections);
        Assert.Equal(2, producer.Sent.Count);
        Assert.Equal("machine-a", producer.Sent[0].Key);
        Assert.Equal(["a1", "a2"], producer.Sent[0].Ids);
        Assert.Equal("machine-b", producer.Sent[1].Key);
        Assert.Equal(["b1", "b2"], producer.Sent[1].Ids);
    }

    [Fact]
    public async Task Write_StartsANewBatch_WhenTheCurrentOneIsFull()
    {
        var producer = new RecordingProducer(maxBatchBytes: 2500);
        var sink = new EventHubsSink("cloud", producer, maxBatchBytes: null);
        var batch = Enumerable.Range(0, 10).Select(i => Record($"e{i}", "m", size: 1000)).ToArray();

        await sink.WriteAsync(batch, CancellationToken.None);

        Assert.Equal(5, producer.Sent.Count);
        Assert.All(producer.Sent, s => Assert.Equal(2, s.Ids.Length));
        Assert.Equal(batch.Select(b => b.Id), producer.Sent.SelectMany(s => s.Ids));
    }

    [Fact]
    public async Task Write_RejectsAnEventTooLargeForAnyBatch_AndSendsTheRest()
    {
        var producer = new RecordingProducer(maxBatchBytes: 2000);
        var sink = new EventHubsSink("cloud", producer, maxBatchBytes: null);
        var batch = new[] { Record("ok1", "m", 500), Record("huge", "m", 5000), Record("ok2", "m", 500) };

        var rejections = await sink.WriteAsync(batch, CancellationToken.None);

        var rejection = Assert.Single(rejections);
        Assert.Equal(1, rejection.Index);
        Assert.Contains("exceed the Event Hubs batch limit of 2000 bytes", rejection.Reason);
        Assert.Equal(["ok1", "ok2"], producer.Sent.SelectMany(s => s.Ids));
    }

    [Fact]
    public async Task Write_PassesTheConfiguredBatchLimit_AndStructuredCloudEvents()
    {
        var producer = new RecordingProducer(maxBatchBytes: 1_000_000);
        var sink = new EventHubsSink("cloud", producer, maxBatchBytes: 4096);

        await sink.WriteAsync([Record("x", "m")], CancellationToken.None);

        Assert.Equal(4096, producer.RequestedMaxBytes.Single());
        var sent = producer.SentEvents.Single();
        Assert.Equal("application/cloudevents+json", sent.ContentType);
        Assert.Equal("x", sent.MessageId);
    }

    [Fact]
    public async Task Write_Throws_WhenTheHubFails_SoTheBatchIsRetriedOrSpooled()
    {
        var producer = new RecordingProducer(maxBatchBytes: 1_000_000) { FailSends = true };
        var sink = new EventHubsSink("cloud", producer, maxBatchBytes: null);

        await Assert.ThrowsAsync<EventHubsException>(async () => await sink.WriteAsync([Record("x", "m")], CancellationToken.None));
    }

    [Fact]
    public void LongPartitionKeys_AreHashedStably_ToFitTheLimit()
    {
        var key = new string('k', 300);

        var first = EventHubsSink.PartitionKeyFor(key);

        Assert.Equal(first, EventHubsSink.PartitionKeyFor(key));
        Assert.True(first!.Length <= EventHubsSink.MaxPartitionKeyLength);
        Assert.Equal("short", EventHubsSink.PartitionKeyFor("short"));
    }

    private static SinkRecord Record(string id, string key, int size = 100) =>
        new(id, key, DateTimeOffset.UtcNow, new byte[size]);

    private sealed class RecordingProducer(long maxBatchBytes) : EventHubProducerClient
    {
        private readonly Dictionary<EventDataBatch, (string? Key, List<EventData> Events)> open = [];

        public bool FailSends { get; init; }

        public List<(string? Key, string[] Ids)> Sent { get; } = [];

        public List<EventData> SentEvents { get; } = [];

        public List<long?> RequestedMaxBytes { get; } = [];

        public override ValueTask<EventDataBatch> CreateBatchAsync(CreateBatchOptions options, CancellationToken cancellationToken = default)
        {
            RequestedMaxBytes.Add(options.MaximumSizeInBytes);
            var limit = options.MaximumSizeInBytes ?? maxBatchBytes;
            options = new CreateBatchOptions { PartitionKey = options.PartitionKey, MaximumSizeInBytes = limit };
            var events = new List<EventData>();
            long size = 0;
            var batch = EventHubsModelFactory.EventDataBatch(0, events, options, data =>
            {
                if (size + data.EventBody.ToMemory().Length > limit)
                {
                    return false;
                }

                size += data.EventBody.ToMemory().Length;
                return true;
            });
            open[batch] = (options.PartitionKey, events);
            return ValueTask.FromResult(batch);
        }

        public override Task SendAsync(EventDataBatch eventBatch, CancellationToken cancellationToken = default)
        {
            if (FailSends)
            {
                throw new EventHubsException(isTransient: true, "cloud", "service unavailable", EventHubsException.FailureReason.ServiceCommunicationProblem);
            }

            var (key, events) = open[eventBatch];
            Sent.Add((key, events.Select(e => e.MessageId).ToArray()));
            SentEvents.AddRange(events);
            return Task.CompletedTask;
        }

        public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
