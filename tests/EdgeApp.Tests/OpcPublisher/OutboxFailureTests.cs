using System.Collections.Concurrent;
using EdgeApp.Messaging;
using EdgeApp.OpcPublisher;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.OpcPublisher.Output;
using EdgeApp.Spool;
using EdgeApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeApp.Tests.OpcPublisher;

/// <summary>Messages that can never be spooled or read are dropped and counted; they never stop what comes after them.</summary>
public sealed class OutboxFailureTests : IAsyncDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private readonly string _root = Directory.CreateTempSubdirectory("edgeapp-pub-outbox-").FullName;
    private readonly TestMeterFactory _meters = new();
    private readonly MessageSpool _spool;
    private readonly PublisherMetrics _metrics;

    public OutboxFailureTests()
    {
        var options = new SpoolOptions { Directory = _root, MaxBytes = 16 * 1024, SegmentBytes = 8 * 1024, FlushToDisk = false };
        _spool = new MessageSpool(Options.Create(options), new SpoolMetrics(_meters), NullLogger<MessageSpool>.Instance);
        _metrics = new PublisherMetrics(_meters);
    }

    private static EncodedMessage Message(string id, int bytes, int values = 1) =>
        new(id, "opc.tcp://plc:50000/", MessageTypes.PubSub, DateTimeOffset.UtcNow, new byte[bytes], values);

    [Fact]
    public async Task SpoolOutbox_DropsOnlyTheMessageLargerThanTheSpool_AndKeepsTheOthersInOrder()
    {
        await _spool.StartAsync(CancellationToken.None);
        var outbox = new SpoolOutbox(_spool, _metrics, TimeProvider.System, NullLogger<SpoolOutbox>.Instance);

        await outbox.AddAsync([Message("a", 100), Message("huge", 64 * 1024, values: 7), Message("b", 100)], CancellationToken.None).AsTask().WaitAsync(Wait);

        var kept = await _spool.Spool.PeekAsync(10, long.MaxValue, CancellationToken.None);
        Assert.Equal(["a", "b"], kept.Select(r => r.Id));
        Assert.Equal(7, _metrics.TotalDropped);
        Assert.Equal(1, _metrics.TotalGaps);
    }

    [Fact]
    public async Task Forwarder_DropsUnreadableRecordsAtTheHead_AndForwardsTheRecordsBehindThem()
    {
        await _spool.StartAsync(CancellationToken.None);
        await _spool.Spool.AppendAsync(
            [
                new SpoolRecord("garbage", null, DateTimeOffset.UtcNow, new byte[] { 0x7F, 1, 2 }),
                new SpoolRecord("truncated", null, DateTimeOffset.UtcNow, new byte[] { 1, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 }),
                SpooledMessage.ToRecord(Message("good", 50, values: 3)),
            ],
            CancellationToken.None);
        var broker = new CapturingPublisher();
        var forwarder = new SpoolForwarder(
            _spool, broker, Options.Create(new OpcPublisherOptions()), _metrics, new ForwarderState(), TimeProvider.System, NullLogger<SpoolForwarder>.Instance);

        await forwarder.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => broker.Ids.Contains("good"), Wait, "the readable record forwarded");
            await Eventually.TrueAsync(() => _spool.Spool.Count == 0, Wait, "every record committed");
        }
        finally
        {
            await forwarder.StopAsync(CancellationToken.None);
        }

        Assert.Equal(["good"], broker.Ids);
        Assert.Equal(2, _metrics.TotalDropped);
        Assert.Equal(3, _metrics.TotalForwarded);
    }

    public async ValueTask DisposeAsync()
    {
        await _spool.DisposeAsync();
        _meters.Dispose();
        Directory.Delete(_root, recursive: true);
    }

    private sealed class CapturingPublisher : IEventPublisher
    {
        private readonly ConcurrentQueue<string> _ids = new();

        public List<string> Ids => [.. _ids];

        public Task PublishAsync(string topic, OutgoingEvent outgoing, CancellationToken cancellationToken = default) =>
            PublishBatchAsync(topic, [outgoing], cancellationToken);

        public Task PublishBatchAsync(string topic, IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken = default)
        {
            foreach (var outgoing in events)
            {
                _ids.Enqueue(outgoing.Id ?? string.Empty);
            }

            return Task.CompletedTask;
        }
    }
}
