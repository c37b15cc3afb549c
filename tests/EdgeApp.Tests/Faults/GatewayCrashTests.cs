using EdgeApp.Messaging;
using EdgeApp.Tests.Infrastructure;
using EdgeApp.Tests.Messaging;
using Xunit.Abstractions;

namespace EdgeApp.Tests.Faults;

/// <summary>
/// kill -9 of the gateway while events flow, several times: after it comes back, every published event id is in
/// the sink. Duplicates are allowed (at-least-once) and reported.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class GatewayCrashTests(ITestOutputHelper output) : FaultTest
{
    [Fact]
    public async Task KilledGateway_LosesNothing_AfterRestart()
    {
        var sink = Path.Combine(Root, "sink");
        await using var gateway = new ModuleProcess("EdgeApp.Gateway", GatewayEnvironment(Redis.ConnectionString, Root));
        await gateway.StartAsync(TimeSpan.FromSeconds(60));
        await using var producer = await MessagingHost.StartAsync(Redis.ConnectionString, "sensor");

        // Events flow continuously while the gateway is killed three times at unrelated moments.
        var published = new List<string>();
        using var stop = new CancellationTokenSource();
        var publishing = Task.Run(async () =>
        {
            for (var b = 0; b < 400 && !stop.IsCancellationRequested; b++)
            {
                var batch = Enumerable.Range(0, 200).Select(i => new OutgoingEvent("""{"v":1}"""u8.ToArray()) { Id = $"b{b}-e{i}", Subject = $"m{i % 4}" }).ToList();
                await producer.Publisher.PublishBatchAsync("telemetry", batch);
                lock (published)
                {
                    published.AddRange(batch.Select(e => e.Id!));
                }

                await Task.Delay(5);
            }
        });
        foreach (var pause in new[] { 700, 1300, 900 })
        {
            await Task.Delay(pause);
            await gateway.KillAsync();
            await gateway.StartAsync(TimeSpan.FromSeconds(60));
        }

        await publishing.WaitAsync(TimeSpan.FromMinutes(2));

        try
        {
            await Eventually.TrueAsync(() => SinkFiles.Ids(sink).IsSupersetOf(published), TimeSpan.FromSeconds(90), "every published id in the sink");
        }
        catch (TimeoutException)
        {
            var missing = published.Except(SinkFiles.Ids(sink)).ToList();
            throw new Xunit.Sdk.XunitException($"{missing.Count} of {published.Count} events missing, e.g. {string.Join(", ", missing.Take(5))}\n{gateway.RecentOutput}");
        }

        var (records, torn) = SinkFiles.Read(sink);
        var duplicates = records.Count - records.Select(r => r.GetProperty("id").GetString()).Distinct().Count();
        output.WriteLine($"{published.Count} published, {records.Count} written, {duplicates} duplicates, {torn} torn lines, {gateway.Starts} gateway starts");
        Assert.Equal(4, gateway.Starts);
    }

    internal static Dictionary<string, string> GatewayEnvironment(string redis, string root) => new()
    {
        ["ConnectionStrings__redis"] = redis,
        ["Messaging__AppId"] = "gateway",
        ["Messaging__RedisStreams__ProcessingTimeout"] = "00:00:01",
        ["Messaging__RedisStreams__RedeliverInterval"] = "00:00:00.500",
        ["Messaging__RedisStreams__ReadTimeout"] = "00:00:00.200",
        ["Gateway__Sinks__file__Directory"] = Path.Combine(root, "sink"),
        ["Gateway__Sinks__deadletter__Directory"] = Path.Combine(root, "deadletter"),
        ["Spool__Directory"] = Path.Combine(root, "spool"),
        ["Logging__LogLevel__Default"] = "Warning",
    };
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults (real processes)";
}
