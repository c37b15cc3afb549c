using System.Text.Json;
using EdgeApp.Messaging;
using EdgeApp.Tests.Infrastructure;
using EdgeApp.Tests.Messaging;
using Xunit.Abstractions;

namespace EdgeApp.Tests.Faults;

/// <summary>
/// The gateway's sink fails for a while (its directory cannot be created): events keep being acknowledged into the
/// spool, the gateway reports itself degraded, and once the sink works again the spool drains with nothing lost
/// and every source's order kept.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class SinkOutageTests(ITestOutputHelper output) : FaultTest
{
    [Fact]
    public async Task SinkOutage_FillsTheSpool_ThenDrainsItInOrder()
    {
        var sink = Path.Combine(Root, "sink");
        var environment = GatewayCrashTests.GatewayEnvironment(Redis.ConnectionString, Root);

        // Small files: the sink opens new ones often, so a missing directory shows at once (an open file would outlive it).
        environment["Gateway__Sinks__file__MaxFileBytes"] = "4096";
        await using var gateway = new ModuleProcess("EdgeApp.Gateway", environment);
        await gateway.StartAsync(TimeSpan.FromSeconds(60));
        await using var producer = await MessagingHost.StartAsync(Redis.ConnectionString, "sensor");
        var sequence = new Dictionary<string, int>();
        var published = new List<string>();

        async Task PublishAsync(int batches)
        {
            for (var b = 0; b < batches; b++)
            {
                var batch = new List<OutgoingEvent>();
                for (var i = 0; i < 50; i++)
                {
                    var source = $"m{i % 5}";
                    var n = sequence[source] = sequence.GetValueOrDefault(source) + 1;
                    batch.Add(new OutgoingEvent(JsonSerializer.SerializeToUtf8Bytes(new { n })) { Id = $"{source}-{n}", Subject = source });
                }

                await producer.Publisher.PublishBatchAsync("telemetry", batch);
                published.AddRange(batch.Select(e => e.Id!));
                await Task.Delay(10);
            }
        }

        await PublishAsync(20);
        await Eventually.TrueAsync(() => SinkFiles.Ids(sink).Count == published.Count, TimeSpan.FromSeconds(30), "first events written directly");

        // The sink's directory is swapped for a file: every write fails until it is put back.
        Directory.Move(sink, sink + ".away");
        await File.WriteAllTextAsync(sink, "not a directory");
        await PublishAsync(40);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.Port}") };
        await Eventually.TrueAsync(
            async () => (await http.GetStringAsync("/health")).Contains("Degraded", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the gateway reports itself degraded while spooling");
        var spoolFiles = Directory.GetFiles(Path.Combine(Root, "spool", "file"), "*.seg");
        Assert.NotEmpty(spoolFiles);
        Assert.True(spoolFiles.Sum(f => new FileInfo(f).Length) > 0, "spooled events are on disk");

        File.Delete(sink);
        Directory.Move(sink + ".away", sink);
        await PublishAsync(20);

        await Eventually.TrueAsync(() => SinkFiles.Ids(sink).IsSupersetOf(published), TimeSpan.FromSeconds(90), "every event in the sink after the outage");
        var records = SinkFiles.Read(sink).Records;
        foreach (var source in records.GroupBy(r => r.GetProperty("subject").GetString()))
        {
            var firstSeen = source.Select(r => r.GetProperty("data").GetProperty("n").GetInt32()).Distinct().ToList();
            Assert.Equal(Enumerable.Range(1, firstSeen.Count), firstSeen);
        }

        output.WriteLine($"{published.Count} published, {records.Count} written after a sink outage");
    }
}
