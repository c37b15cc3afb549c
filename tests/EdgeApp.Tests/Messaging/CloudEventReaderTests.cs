using System.Text;
using System.Text.Json.Serialization;
using EdgeApp.Messaging;

namespace EdgeApp.Tests.Messaging;

public partial class CloudEventReaderTests
{
    // What daprd stores for an HTTP publish of {"status":"completed"} with Content-Type application/json.
    private const string DaprEnvelope =
        """{"data":{"status":"completed"},"datacontenttype":"application/json","id":"5a6b5b1c-8e38-4c4b-8c9f-2f3c1a0c9d11","pubsubname":"pubsub","source":"checkout","specversion":"1.0","time":"2026-11-30T10:11:42Z","topic":"orders","traceid":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","tracestate":"","type":"com.dapr.event.sent"}""";

    [Fact]
    public void Parse_ReadsEveryAttributeOfADaprEnvelope()
    {
        var evt = CloudEventReader.Parse(Encoding.UTF8.GetBytes(DaprEnvelope));

        Assert.Equal("5a6b5b1c-8e38-4c4b-8c9f-2f3c1a0c9d11", evt.Id);
        Assert.Equal("checkout", evt.Source);
        Assert.Equal("com.dapr.event.sent", evt.Type);
        Assert.Equal("1.0", evt.SpecVersion);
        Assert.Equal("orders", evt.Topic);
        Assert.Equal("pubsub", evt.PubSubName);
        Assert.Equal("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01", evt.TraceParent);
        Assert.Equal(new DateTimeOffset(2026, 11, 30, 10, 11, 42, TimeSpan.Zero), evt.Time);
        Assert.True(evt.DataIsJson);
        Assert.Equal("""{"status":"completed"}""", Encoding.UTF8.GetString(evt.Data.Span));
        Assert.Equal("completed", evt.GetData(ReaderJson.Default.Order).Status);
    }

    [Fact]
    public void Parse_SlicesDataWithoutCopying()
    {
        var bytes = Encoding.UTF8.GetBytes(DaprEnvelope);

        var evt = CloudEventReader.Parse(bytes);

        Assert.True(System.Runtime.InteropServices.MemoryMarshal.TryGetArray(evt.Data, out var segment));
        Assert.Same(bytes, segment.Array);
    }

    [Fact]
    public void Parse_DecodesDataBase64()
    {
        var evt = CloudEventReader.Parse("""{"data_base64":"AAEC/w==","id":"1","source":"s","specversion":"1.0","type":"t"}"""u8.ToArray());

        Assert.False(evt.DataIsJson);
        Assert.Equal(new byte[] { 0, 1, 2, 255 }, evt.Data.ToArray());
        Assert.Throws<CloudEventFormatException>(() => evt.GetData(ReaderJson.Default.Order));
    }

    [Fact]
    public void Parse_IgnoresExtensionAttributes_OfAnyShape()
    {
        var evt = CloudEventReader.Parse("""{"ext":{"a":[1,2]},"n":5,"id":"1","source":"s","specversion":"1.0","type":"t","data":[1]}"""u8.ToArray());

        Assert.Equal("[1]", Encoding.UTF8.GetString(evt.Data.Span));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("not json", "not valid JSON")]
    [InlineData("[1,2]", "JSON object")]
    [InlineData("""{"id":"1","source":"s","specversion":"1.0","type":"t","data":{"x":""", "not valid JSON")]
    [InlineData("""{"source":"s","specversion":"1.0","type":"t"}""", "'id'")]
    [InlineData("""{"id":"1","specversion":"1.0","type":"t"}""", "'source'")]
    [InlineData("""{"id":"1","source":"s","specversion":"1.0"}""", "'type'")]
    [InlineData("""{"id":"1","source":"s","type":"t"}""", "'specversion'")]
    [InlineData("""{"id":7,"source":"s","specversion":"1.0","type":"t"}""", "must be a string")]
    [InlineData("""{"id":"1","source":"s","specversion":"1.0","type":"t","data_base64":"***"}""", "malformed")]
    [InlineData("{\"id\":\"1\",\"source\":\"s\",\"specversion\":\"1.0\",\"type\":\"t\"}\n{", "not valid JSON")]
    [InlineData("""{"id":"1","source":"s","specversion":"1.0","type":"t"} {"id":"2"}""", "not valid JSON")]
    [InlineData("""{"id":"1","source":"s","specversion":"0.3","type":"t"}""", "specversion '0.3'")]
    public void Parse_RejectsWhatIsNotACloudEvent_WithAClearReason(string json, string reason)
    {
        var error = Assert.Throws<CloudEventFormatException>(() => CloudEventReader.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains(reason, error.Message);
    }

    [Fact]
    public void Parse_RejectsDeeplyNestedData()
    {
        var deep = new string('[', 100) + new string(']', 100);
        var json = $$"""{"id":"1","source":"s","specversion":"1.0","type":"t","data":{{deep}}}""";

        Assert.Throws<CloudEventFormatException>(() => CloudEventReader.Parse(Encoding.UTF8.GetBytes(json)));
    }

    [Fact]
    public void GetData_ReportsPayloadOfTheWrongShape()
    {
        var evt = CloudEventReader.Parse("""{"id":"1","source":"s","specversion":"1.0","type":"t","data":{"status":5}}"""u8.ToArray());

        var error = Assert.Throws<CloudEventFormatException>(() => evt.GetData(ReaderJson.Default.Order));
        Assert.Contains("Order", error.Message);
    }

    internal sealed record Order(string Status);

    [JsonSerializable(typeof(Order))]
    [JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
    internal sealed partial class ReaderJson : JsonSerializerContext;
}
