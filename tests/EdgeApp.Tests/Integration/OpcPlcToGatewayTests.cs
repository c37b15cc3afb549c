using System.Net;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using EdgeApp.AppHost.OpcPlc;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.Tests.Infrastructure;

namespace EdgeApp.Tests.Integration;

/// <summary>PLC -> publisher -> broker -> gateway -> file sink, as the AppHost runs them (PubSub, the default format).</summary>
[Collection(EdgeAppCollection.Name)]
public sealed class OpcPlcToGatewayTests(EdgeAppFixture fixture)
{
    private const string StepUp = "nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp";

    [Fact]
    public async Task StepUp_ArrivesAtTheGatewaySink_InOrderWithoutGaps_WithItsTraceContext()
    {
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await fixture.App.ResourceNotifications.WaitForResourceHealthyAsync("opc-publisher", cancellation.Token);
        var plcEndpoint = fixture.App.GetEndpoint("opc-plc", OpcPlcExtensions.OpcTcpEndpoint);

        List<(JsonElement Record, uint Value)> values = [];
        await Eventually.TrueAsync(
            () =>
            {
                values = ReadStepUps();
                return values.Select(v => v.Value).Distinct().Count() >= 30;
            },
            TimeSpan.FromSeconds(90),
            "30 StepUp values from the PLC in the gateway's sink");

        foreach (var (record, _) in values)
        {
            Assert.Equal("opc-publisher", record.GetProperty("source").GetString());
            Assert.Equal("telemetry", record.GetProperty("topic").GetString());
            Assert.Equal(MessageTypes.PubSub, record.GetProperty("type").GetString());
            Assert.Equal($"opc.tcp://localhost:{plcEndpoint.Port}", record.GetProperty("subject").GetString());
            var traceParent = record.GetProperty("traceparent").GetString();
            Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", traceParent);
            Assert.Equal(traceParent, record.GetProperty("traceid").GetString());
            Assert.Equal(record.GetProperty("id").GetString(), record.GetProperty("data").GetProperty("MessageId").GetString());
        }

        // At-least-once: a redelivered message appears again under the same id; each id counts once (and a key frame
        // may repeat the last value). In sink order, every StepUp value is the one before plus one.
        var sequence = new List<uint>();
        foreach (var (_, value) in values.DistinctBy(v => (v.Record.GetProperty("id").GetString(), v.Value)))
        {
            if (sequence.Count == 0 || sequence[^1] != value)
            {
                sequence.Add(value);
            }
        }

        for (var i = 1; i < sequence.Count; i++)
        {
            Assert.True(sequence[i] == sequence[i - 1] + 1, $"StepUp {sequence[i - 1]} is followed by {sequence[i]} (values {string.Join(",", sequence)})");
        }
    }

    [Theory]
    [InlineData("/health")]
    [InlineData("/alive")]
    [InlineData("/v2/configuration")]
    public async Task Publisher_AnswersItsProbesAndApi(string path)
    {
        using var client = fixture.App.CreateHttpClient("opc-publisher", "http");

        using var response = await client.GetAsync(path).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    /// <summary>Every StepUp value in the sink's files, in file and line order, with its record.</summary>
    private List<(JsonElement Record, uint Value)> ReadStepUps()
    {
        var result = new List<(JsonElement, uint)>();
        if (!Directory.Exists(fixture.SinkDirectory))
        {
            return result;
        }

        foreach (var file in Directory.GetFiles(fixture.SinkDirectory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            while (reader.ReadLine() is { } line)
            {
                if (line.Length == 0 || !line.EndsWith('}'))
                {
                    continue;
                }

                var record = JsonDocument.Parse(line).RootElement.Clone();
                if (record.GetProperty("source").GetString() != "opc-publisher")
                {
                    continue;
                }

                foreach (var message in record.GetProperty("data").GetProperty("Messages").EnumerateArray())
                {
                    if (message.GetProperty("Payload").TryGetProperty(StepUp, out var field) && field.TryGetProperty("Value", out var value))
                    {
                        result.Add((record, value.GetUInt32()));
                    }
                }
            }
        }

        return result;
    }
}
