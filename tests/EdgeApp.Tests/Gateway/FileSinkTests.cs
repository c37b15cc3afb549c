using System.Text;
using System.Text.Json;
using EdgeApp.Gateway;
using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Messaging;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using EdgeApp.Tests.Infrastructure;

namespace EdgeApp.Tests.Gateway;

public sealed class FileSinkTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("edgeapp-sink-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task WriteAsync_AppendsOneEnvelopePerLine_ExactlyAsReceived()
    {
        await using var sink = NewSink();
        var batch = Enumerable.Range(0, 3).Select(i => Received($"id-{i}")).ToList();

        await sink.WriteAsync(batch, CancellationToken.None);

        var lines = ReadAllLines();
        Assert.Equal(batch.Select(b => Encoding.UTF8.GetString(b.Event.Envelope.Span)), lines);
    }

    [Fact]
    public async Task WriteAsync_CompactsPrettyPrintedEnvelopes_SoEachEventStaysOnOneLine()
    {
        await using var sink = NewSink();
        var pretty = "{\n  \"id\": \"p\",\n  \"source\": \"s\",\n  \"specversion\": \"1.0\",\n  \"type\": \"t\",\n  \"data\": {\"text\": \"line1\\nline2\"}\n}";

        await sink.WriteAsync([new ReceivedEvent(CloudEventReader.Parse(Encoding.UTF8.GetBytes(pretty)), "t", "1-0", 1)], CancellationToken.None);

        var line = Assert.Single(ReadAllLines());
        using var doc = JsonDocument.Parse(line);
        Assert.Equal("line1\nline2", doc.RootElement.GetProperty("data").GetProperty("text").GetString());
    }

    [Fact]
    public async Task WriteAsync_RollsToANewFile_AtTheSizeLimit()
    {
        await using var sink = NewSink(maxFileBytes: 2048);

        for (var i = 0; i < 20; i++)
        {
            await sink.WriteAsync([Received($"id-{i}")], CancellationToken.None);
        }

        var files = Directory.GetFiles(directory, "*.jsonl");
        Assert.True(files.Length > 1, $"expected several files, got {files.Length}");
        Assert.Equal(20, ReadAllLines().Count);
    }

    [Fact]
    public async Task Handler_ReportsRetryWhileTheDirectoryCannotBeCreated_ThenSuccessOnceItCan()
    {
        // A file standing where the sink directory should be blocks writing for root and non-root alike.
        var blocked = Path.Combine(directory, "blocked");
        await File.WriteAllTextAsync(blocked, "a file, not a directory");
        await using var sink = NewSink(directoryOverride: blocked);
        var (handler, failed) = NewHandler(sink);
        var statuses = new DeliveryStatus[1];

        await handler.HandleBatchAsync([Received("x")], statuses, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Retry, statuses[0]);
        Assert.Equal(1, failed.GetMeasurementSnapshot().EvaluateAsCounter());

        File.Delete(blocked);
        await handler.HandleBatchAsync([Received("x")], statuses, CancellationToken.None);
        Assert.Equal(DeliveryStatus.Success, statuses[0]);
        Assert.Single(Directory.GetFiles(blocked, "*.jsonl"));
    }

    private static (GatewayHandler Handler, MetricCollector<long> Failed) NewHandler(FileSink sink)
    {
        var meterFactory = new TestMeterFactory();
        var metrics = new GatewayMetrics(meterFactory);
        var collector = new MetricCollector<long>(metrics.Failed);
        return (new GatewayHandler(sink, metrics, TimeProvider.System, NullLogger<GatewayHandler>.Instance), collector);
    }

    private FileSink NewSink(long maxFileBytes = 1024 * 1024, string? directoryOverride = null) =>
        new(Options.Create(new FileSinkOptions { Directory = directoryOverride ?? directory, MaxFileBytes = maxFileBytes }), TimeProvider.System);

    private List<string> ReadAllLines() =>
        Directory.GetFiles(directory, "*.jsonl").Order().SelectMany(File.ReadAllLines).ToList();

    private static ReceivedEvent Received(string id)
    {
        var json = $$"""{"data":{"v":1},"id":"{{id}}","source":"sensor","specversion":"1.0","type":"com.dapr.event.sent","time":"2026-11-30T10:00:00Z"}""";
        return new ReceivedEvent(CloudEventReader.Parse(Encoding.UTF8.GetBytes(json)), "telemetry", "1-0", 1);
    }
}
