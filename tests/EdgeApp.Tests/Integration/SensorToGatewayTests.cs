using System.Net;
using System.Text.Json;
using Aspire.Hosting.Testing;
using EdgeApp.Tests.Infrastructure;

namespace EdgeApp.Tests.Integration;

[Collection(EdgeAppCollection.Name)]
public sealed class SensorToGatewayTests(EdgeAppFixture fixture)
{
    [Fact]
    public async Task TelemetryFromEveryMachine_ArrivesInTheGatewaySink_WithItsTraceContext()
    {
        var expected = Enumerable.Range(1, EdgeAppFixture.MachineCount).Select(i => $"machine-{i:D2}").ToHashSet();
        List<JsonElement> records = [];

        await Eventually.TrueAsync(
            () =>
            {
                records = ReadSink();
                return expected.IsSubsetOf(records.Select(r => r.GetProperty("subject").GetString()!));
            },
            TimeSpan.FromSeconds(60),
            "a reading of every simulated machine in the gateway's JSON Lines files");

        foreach (var record in records)
        {
            Assert.Equal("sensor", record.GetProperty("source").GetString());
            Assert.Equal("telemetry", record.GetProperty("topic").GetString());
            var traceParent = record.GetProperty("traceparent").GetString();
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceParent);
            Assert.Equal(traceParent, record.GetProperty("traceid").GetString());
            var data = record.GetProperty("data");
            Assert.Equal(record.GetProperty("subject").GetString(), data.GetProperty("machineId").GetString());
            Assert.InRange(data.GetProperty("machine").GetProperty("temperature").GetDouble(), 20, 110);
            Assert.InRange(data.GetProperty("ambient").GetProperty("pressure").GetDouble(), 980, 1040);
        }

        // At-least-once: a redelivered event may appear twice, under the same id; count each id once.
        var unique = records.DistinctBy(r => r.GetProperty("id").GetString()).ToList();
        foreach (var machine in unique.GroupBy(r => r.GetProperty("subject").GetString()))
        {
            var sequences = machine.Select(r => r.GetProperty("data").GetProperty("sequence").GetInt64()).Order().ToList();
            Assert.Equal(Enumerable.Range(1, sequences.Count).Select(i => (long)i), sequences);
        }
    }

    [Theory]
    [InlineData("gateway", "/health")]
    [InlineData("gateway", "/alive")]
    [InlineData("sensor", "/health")]
    [InlineData("sensor", "/alive")]
    public async Task Modules_AnswerTheirProbes(string resource, string path)
    {
        using var client = fixture.App.CreateHttpClient(resource, "http");

        using var response = await client.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private List<JsonElement> ReadSink()
    {
        if (!Directory.Exists(fixture.SinkDirectory))
        {
            return [];
        }

        var records = new List<JsonElement>();
        foreach (var file in Directory.GetFiles(fixture.SinkDirectory, "*.jsonl"))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length > 0 && line.EndsWith('}'))
                {
                    records.Add(JsonDocument.Parse(line).RootElement.Clone());
                }
            }
        }

        return records;
    }
}
