using EdgeApp.Tests.Infrastructure;
using Xunit.Abstractions;

namespace EdgeApp.Tests.Faults;

/// <summary>
/// Redis (AOF on) is down for 7 s while the sensor publishes: the sensor keeps its readings and sends them once Redis is
/// back, the gateway reconnects, and every machine's readings arrive without a gap in their sequence numbers.
/// </summary>
[Collection(FaultCollection.Name)]
public sealed class RedisRestartTests(ITestOutputHelper output) : FaultTest
{
    private const int Machines = 4;
    [Fact]
    public async Task RedisRestart_WhilePublishing_LosesNoReading()
    {
        var sink = Path.Combine(Root, "sink");
        await using var gateway = new ModuleProcess("EdgeApp.Gateway", GatewayCrashTests.GatewayEnvironment(Redis.ConnectionString, Root));
        await using var sensor = new ModuleProcess("EdgeApp.Sensor", new Dictionary<string, string>
        {
            ["ConnectionStrings__redis"] = Redis.ConnectionString,
            ["Messaging__AppId"] = "sensor",
            ["Sensor__IntervalMs"] = "50",
            ["Sensor__MachineCount"] = Machines.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await gateway.StartAsync(TimeSpan.FromSeconds(60));
        await sensor.StartAsync(TimeSpan.FromSeconds(60));
        await Eventually.TrueAsync(() => SinkFiles.Read(sink).Records.Count > 40, TimeSpan.FromSeconds(30), "readings flowing before the restart");

        var beforeOutage = HighestSequences(sink).Values.Max();
        await Redis.StopGracefullyAsync();

        // Longer than the client's 5 s command timeout, so the sensor's publishes fail and it must keep readings.
        await Task.Delay(TimeSpan.FromSeconds(7));
        await Redis.StartAgainAsync();
        await Eventually.TrueAsync(
            () => HighestSequences(sink) is { Count: Machines } after && after.Values.Min() > beforeOutage + 40,
            TimeSpan.FromSeconds(60),
            "readings flowing again after Redis came back");
        await sensor.KillAsync();

        Assert.Contains("keeping them for the next interval", sensor.RecentOutput);
        Assert.Contains("Redis failed for topic telemetry", gateway.RecentOutput);
        Dictionary<string, long> highest = [];
        await Eventually.TrueAsync(
            () =>
            {
                var readings = Sequences(sink);
                highest = readings.ToDictionary(m => m.Key, m => m.Value.Max());
                return readings.Count == Machines && readings.All(m => m.Value.Count == m.Value.Max());
            },
            TimeSpan.FromSeconds(60),
            "every machine's readings 1..n present, with no gap across the outage");
        output.WriteLine("highest sequence per machine after the outage: " + string.Join(", ", highest.Select(h => $"{h.Key}={h.Value}")));
    }

    private static Dictionary<string, HashSet<long>> Sequences(string sink) =>
        SinkFiles.Read(sink).Records
            .Select(r => r.GetProperty("data"))
            .GroupBy(d => d.GetProperty("machineId").GetString()!)
            .ToDictionary(g => g.Key, g => g.Select(d => d.GetProperty("sequence").GetInt64()).ToHashSet());

    private static Dictionary<string, long> HighestSequences(string sink) =>
        Sequences(sink).ToDictionary(m => m.Key, m => m.Value.Max());
}
