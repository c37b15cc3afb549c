using System.Text;
using System.Text.Json;
using EdgeApp.Messaging;

namespace EdgeApp.Tests.Messaging;

public class CloudEventWriterTests
{
    private const string TraceParent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";

    private static readonly EnvelopeContext Context = new(
        "sensor", "pubsub", "telemetry", TraceParent, null, new DateTimeOffset(2026, 11, 30, 10, 11, 42, 123, TimeSpan.Zero));

    [Fact]
    public void Write_ProducesDaprEnvelope_WithMembersInGoMapOrder()
    {
        var evt = new OutgoingEvent("""{"status":"completed"}"""u8.ToArray()) { Id = "5a6b5b1c-8e38-4c4b-8c9f-2f3c1a0c9d11" };

        var json = Encoding.UTF8.GetString(CloudEventWriter.ToArray(evt, Context));

        Assert.Equal(
            """{"data":{"status":"completed"},"datacontenttype":"application/json","id":"5a6b5b1c-8e38-4c4b-8c9f-2f3c1a0c9d11","pubsubname":"pubsub","source":"sensor","specversion":"1.0","time":"2026-11-30T10:11:42.123000Z","topic":"telemetry","traceid":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","tracestate":"","type":"com.dapr.event.sent"}""",
            json);
    }

    [Fact]
    public void Write_PutsSubjectBetweenSpecVersionAndTime()
    {
        var evt = new OutgoingEvent("1"u8.ToArray()) { Id = "x", Subject = "machine-01", Type = "edgeapp.telemetry" };

        var json = Encoding.UTF8.GetString(CloudEventWriter.ToArray(evt, Context));

        var names = JsonDocument.Parse(json).RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["data", "datacontenttype", "id", "pubsubname", "source", "specversion", "subject", "time", "topic", "traceid", "traceparent", "tracestate", "type"], names);
        Assert.Contains("\"type\":\"edgeapp.telemetry\"", json);
    }

    [Fact]
    public void Write_EncodesNonJsonPayloadAsDataBase64()
    {
        var evt = new OutgoingEvent(new byte[] { 0, 1, 2, 255 }) { Id = "b", DataContentType = "application/octet-stream" };

        using var doc = JsonDocument.Parse(CloudEventWriter.ToArray(evt, Context));

        Assert.False(doc.RootElement.TryGetProperty("data", out _));
        Assert.Equal("AAEC/w==", doc.RootElement.GetProperty("data_base64").GetString());
        Assert.Equal("application/octet-stream", doc.RootElement.GetProperty("datacontenttype").GetString());
    }

    [Fact]
    public void Write_KeepsNonAsciiTextUnescaped_AsGoDoes()
    {
        var evt = new OutgoingEvent("""{"unit":"°C"}"""u8.ToArray()) { Id = "u", Subject = "Kessel Süd" };

        var json = Encoding.UTF8.GetString(CloudEventWriter.ToArray(evt, Context));

        Assert.Contains("\"subject\":\"Kessel Süd\"", json);
        Assert.Contains("{\"unit\":\"°C\"}", json);
    }

    [Fact]
    public void Write_RejectsPayloadDeclaredJsonThatIsNot_AndStaysUsable()
    {
        var bad = new OutgoingEvent("{\"open\":"u8.ToArray());

        var error = Assert.Throws<ArgumentException>(() => CloudEventWriter.ToArray(bad, Context));
        Assert.Contains("not valid JSON", error.Message);

        var good = CloudEventWriter.ToArray(new OutgoingEvent("true"u8.ToArray()) { Id = "g" }, Context);
        Assert.Equal("g", CloudEventReader.Parse(good).Id);
    }

    [Fact]
    public void Write_GeneratesUniqueIds_WhenNoneGiven()
    {
        var evt = new OutgoingEvent("0"u8.ToArray());

        var first = CloudEventReader.Parse(CloudEventWriter.ToArray(evt, Context)).Id;
        var second = CloudEventReader.Parse(CloudEventWriter.ToArray(evt, Context)).Id;

        Assert.NotEqual(first, second);
        Assert.True(Guid.TryParse(first, out _));
    }
}
