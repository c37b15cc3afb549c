using EdgeApp.Messaging;
using EdgeApp.Tests.Infrastructure;
using EdgeApp.Tests.Messaging;
using Xunit.Abstractions;

namespace EdgeApp.Tests.Faults;

/// <summary>
/// The gateway is killed while its spool holds events, and the spool is then damaged on disk (flipped bytes in the
/// middle, a torn tail). The gateway starts anyway, reports what it skipped, and delivers every intact record.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class CorruptSpoolTests(ITestOutputHelper output) : FaultTest
{
    [Fact]
    public async Task DamagedSpool_IsRecovered_KeepingTheIntactRecords()
    {
        var sink = Path.Combine(Root, "sink");
        var environment = GatewayCrashTests.GatewayEnvironment(Redis.ConnectionString, Root);
        environment["Logging__LogLevel__EdgeApp.Spool"] = "Information";
        await using var gateway = new ModuleProcess("EdgeApp.Gateway", environment);
        await File.WriteAllTextAsync(sink, "not a directory: every sink write fails, so events are spooled");
        await gateway.StartAsync(TimeSpan.FromSeconds(60));
        await using var producer = await MessagingHost.StartAsync(Redis.ConnectionString, "sensor");
        var published = Enumerable.Range(0, 400).Select(i => $"e{i}").ToList();
        foreach (var chunk in published.Chunk(50))
        {
            await producer.Publisher.PublishBatchAsync("telemetry", chunk.Select(id => new OutgoingEvent("""{"v":1}"""u8.ToArray()) { Id = id, Subject = "m" }).ToList());
        }

        var segmentDirectory = Path.Combine(Root, "spool", "file");
        await Eventually.TrueAsync(
            async () => (await new RedisProbe(Redis).PendingAsync()) == 0 && Directory.GetFiles(segmentDirectory, "*.seg").Sum(f => new FileInfo(f).Length) > 400 * 300,
            TimeSpan.FromSeconds(30),
            "all events acknowledged into the spool");
        await gateway.KillAsync();

        var segment = Directory.GetFiles(segmentDirectory, "*.seg").Order(StringComparer.Ordinal).Last();
        var bytes = await File.ReadAllBytesAsync(segment);
        for (var offset = bytes.Length / 3; offset < bytes.Length / 3 + 40; offset++)
        {
            bytes[offset] ^= 0x5A;
        }

        await File.WriteAllBytesAsync(segment, bytes[..^137]);
        File.Delete(sink);
        await gateway.StartAsync(TimeSpan.FromSeconds(60));

        await Eventually.TrueAsync(() => gateway.RecentOutput.Contains("skipped", StringComparison.Ordinal), TimeSpan.FromSeconds(30), "the recovery report in the log");
        await Eventually.TrueAsync(() => SinkFiles.Ids(sink).Count >= published.Count - 3, TimeSpan.FromSeconds(60), "the intact records drained");
        var delivered = SinkFiles.Ids(sink);
        Assert.Subset(published.ToHashSet(), delivered);
        output.WriteLine($"{delivered.Count} of {published.Count} delivered after damage; recovery said: "
            + gateway.RecentOutput.Split('\n').FirstOrDefault(l => l.Contains("skipped", StringComparison.Ordinal)));
    }

    private sealed class RedisProbe(RedisServer redis)
    {
        public async Task<long> PendingAsync()
        {
            await using var connection = await redis.ConnectAsync();
            return (await connection.GetDatabase().StreamPendingAsync("telemetry", "gateway")).PendingMessageCount;
        }
    }
}
