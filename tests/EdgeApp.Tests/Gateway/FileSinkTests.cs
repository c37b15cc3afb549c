using System.Text;
using System.Text.Json;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Messaging;

namespace EdgeApp.Tests.Gateway;

public sealed class FileSinkTests : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("edgeapp-sink-").FullName;

    public void Dispose() => Directory.Delete(directory, recursive: true);

    [Fact]
    public async Task WriteAsync_AppendsOneEnvelopePerLine_ExactlyAsReceived()
    {
        await using var sink = NewSink();
        var batch = Enumerable.Range(0, 3).Select(i => Record($"id-{i}")).ToList();

        var rejections = await sink.WriteAsync(batch, CancellationToken.None);

        Assert.Empty(rejections);
        Assert.Equal(batch.Select(b => Encoding.UTF8.GetString(b.Envelope.Span)), ReadAllLines());
    }

    [Fact]
    public async Task WriteAsync_CompactsPrettyPrintedEnvelopes_SoEachEventStaysOnOneLine()
    {
        await using var sink = NewSink();
        var pretty = "{\n  \"id\": \"p\",\n  \"source\": \"s\",\n  \"specversion\": \"1.0\",\n  \"type\": \"t\",\n  \"data\": {\"text\": \"line1\\nline2\"}\n}";

        await sink.WriteAsync([SinkRecord.From(CloudEventReader.Parse(Encoding.UTF8.GetBytes(pretty)))], CancellationToken.None);

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
            await sink.WriteAsync([Record($"id-{i}")], CancellationToken.None);
        }

        Assert.True(Directory.GetFiles(directory, "*.jsonl").Length > 1);
        Assert.Equal(20, ReadAllLines().Count);
    }

    [Fact]
    public async Task WriteAsync_FailsWhileTheDirectoryCannotBeCreated_ThenWorksOnceItCan()
    {
        // A file standing where the sink directory should be blocks writing for root and non-root alike.
        var blocked = Path.Combine(directory, "blocked");
        await File.WriteAllTextAsync(blocked, "a file, not a directory");
        await using var sink = NewSink(directoryOverride: blocked);

        await Assert.ThrowsAnyAsync<IOException>(async () => await sink.WriteAsync([Record("x")], CancellationToken.None));

        File.Delete(blocked);
        await sink.WriteAsync([Record("x")], CancellationToken.None);
        Assert.Single(Directory.GetFiles(blocked, "*.jsonl"));
    }

    private FileSink NewSink(long maxFileBytes = 1024 * 1024, string? directoryOverride = null) =>
        new("file", new FileSinkOptions { Directory = directoryOverride ?? directory, MaxFileBytes = maxFileBytes }, TimeProvider.System);

    private List<string> ReadAllLines() =>
        Directory.GetFiles(directory, "*.jsonl").Order().SelectMany(File.ReadAllLines).ToList();

    private static SinkRecord Record(string id) => SinkRecord.From(GatewayTestHost.Event(id).Event);
}
