using BenchmarkDotNet.Attributes;
using EdgeApp.Messaging;

namespace EdgeApp.Benchmarks.Messaging;

/// <summary>Envelope cost per event: encode on publish, decode on delivery.</summary>
[MemoryDiagnoser]
public class CloudEventBenchmarks
{
    private static readonly byte[] Payload =
        """{"machineId":"machine-01","timeCreated":"2026-11-30T10:22:56.1209315+00:00","machine":{"temperature":47.778,"pressure":2.207},"ambient":{"temperature":21.074,"pressure":1013.408}}"""u8.ToArray();

    private static readonly EnvelopeContext Context = new(
        "sensor", "pubsub", "telemetry", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", null, DateTimeOffset.UtcNow);

    private readonly OutgoingEvent outgoing = new(Payload) { Id = "20e57789-78de-441c-ae07-a4766e10ba17", Subject = "machine-01" };
    private byte[] envelope = [];

    [GlobalSetup]
    public void Setup() => envelope = CloudEventWriter.ToArray(outgoing, Context);

    [Benchmark]
    public byte[] Encode() => CloudEventWriter.ToArray(outgoing, Context);

    [Benchmark]
    public CloudEvent Decode() => CloudEventReader.Parse(envelope);
}
