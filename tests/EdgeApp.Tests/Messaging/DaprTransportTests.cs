using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using EdgeApp.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeApp.Tests.Messaging;

/// <summary>The Dapr transport's contract with the sidecar, both directions, against real HTTP on loopback.</summary>
public sealed class DaprTransportTests : IAsyncLifetime
{
    private readonly RecordingHandler handler = new((r, _) => Task.FromResult(r.Event.Subject switch
    {
        "retry" => DeliveryStatus.Retry,
        "drop" => DeliveryStatus.Drop,
        _ => DeliveryStatus.Success,
    }));

    private FakeSidecar sidecar = null!;
    private WebApplication app = null!;
    private HttpClient client = null!;

    public async Task InitializeAsync()
    {
        sidecar = await FakeSidecar.StartAsync();
        Uri address;
        (app, address) = await LoopbackApp.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Messaging:Transport"] = "Dapr",
                    ["Messaging:AppId"] = "gateway",
                    ["Messaging:Dapr:HttpEndpoint"] = sidecar.Address.ToString(),
                    ["Messaging:Dapr:ApiToken"] = "secret-token",
                });
                builder.AddMessaging();
                builder.Services.AddSingleton(handler);
                builder.Services.AddEventHandler<RecordingHandler>("telemetry", s => s.DeadLetterTopic = "telemetry-dlq");
            },
            web => web.MapMessagingEndpoints());
        client = new HttpClient { BaseAddress = address };
    }

    public async Task DisposeAsync()
    {
        client.Dispose();
        await app.DisposeAsync();
        await sidecar.DisposeAsync();
    }

    [Fact]
    public async Task Subscribe_ListsTopicRouteDeadLetterAndBulkSettings()
    {
        using var doc = JsonDocument.Parse(await client.GetStringAsync("/dapr/subscribe"));

        var subscription = Assert.Single(doc.RootElement.EnumerateArray());
        Assert.Equal("pubsub", subscription.GetProperty("pubsubname").GetString());
        Assert.Equal("telemetry", subscription.GetProperty("topic").GetString());
        Assert.Equal("/dapr/events/telemetry", subscription.GetProperty("route").GetString());
        Assert.Equal("telemetry-dlq", subscription.GetProperty("deadLetterTopic").GetString());
        Assert.True(subscription.GetProperty("bulkSubscribe").GetProperty("enabled").GetBoolean());
        Assert.Equal(100, subscription.GetProperty("bulkSubscribe").GetProperty("maxMessagesCount").GetInt32());
    }

    [Theory]
    [InlineData("ok", "SUCCESS")]
    [InlineData("retry", "RETRY")]
    [InlineData("drop", "DROP")]
    public async Task Delivery_AnswersWithTheHandlersStatus(string subject, string expected)
    {
        var response = await PostEventAsync(CloudEventJson("e1", subject));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(expected, doc.RootElement.GetProperty("status").GetString());
        Assert.Equal("e1", handler.Received.Single().Event.Id);
    }

    [Fact]
    public async Task Delivery_DropsWhatIsNotACloudEvent_SoDaprDeadLettersIt()
    {
        var response = await PostEventAsync("{\"not\":\"an event\"}");

        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("DROP", doc.RootElement.GetProperty("status").GetString());
        Assert.Empty(handler.Received);
    }

    [Fact]
    public async Task BulkDelivery_AnswersOneStatusPerEntry()
    {
        var body =
            "{\"entries\":["
            + $"{{\"entryId\":\"a\",\"event\":{CloudEventJson("1", "ok")},\"contentType\":\"application/cloudevents+json\",\"metadata\":{{}}}},"
            + $"{{\"entryId\":\"b\",\"event\":{CloudEventJson("2", "retry")},\"contentType\":\"application/cloudevents+json\"}},"
            + "{\"entryId\":\"c\",\"event\":\"raw text, not an event\",\"contentType\":\"text/plain\"},"
            + $"{{\"entryId\":\"d\",\"event\":{CloudEventJson("4", "drop")},\"contentType\":\"application/cloudevents+json\"}}"
            + "],\"id\":\"bulk-1\",\"metadata\":{},\"pubsubname\":\"pubsub\",\"topic\":\"telemetry\",\"type\":\"com.dapr.event.sent\"}";

        var response = await PostEventAsync(body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var statuses = doc.RootElement.GetProperty("statuses").EnumerateArray()
            .ToDictionary(s => s.GetProperty("entryId").GetString()!, s => s.GetProperty("status").GetString());
        Assert.Equal(new Dictionary<string, string?> { ["a"] = "SUCCESS", ["b"] = "RETRY", ["c"] = "DROP", ["d"] = "DROP" }, statuses);
        Assert.Equal(["1", "2", "4"], handler.Received.Select(r => r.Event.Id));
    }

    [Fact]
    public async Task Publish_PostsOurCloudEventToTheSidecar_WithTheApiToken()
    {
        var publisher = app.Services.GetRequiredService<IEventPublisher>();

        await publisher.PublishAsync("telemetry", new OutgoingEvent("""{"v":1}"""u8.ToArray()) { Id = "p1", Subject = "machine-1" });

        var request = Assert.Single(sidecar.Requests);
        Assert.Equal("/v1.0/publish/pubsub/telemetry", request.Path);
        Assert.Equal("application/cloudevents+json", request.ContentType);
        Assert.Equal("secret-token", request.Token);
        var sent = CloudEventReader.Parse(request.Body);
        Assert.Equal(("p1", "gateway", "machine-1", "telemetry"), (sent.Id, sent.Source, sent.Subject, sent.Topic));
        Assert.Equal("""{"v":1}""", Encoding.UTF8.GetString(sent.Data.Span));
    }

    [Fact]
    public async Task PublishBatch_UsesBulkPublish_WithEntryIdsAndEvents()
    {
        var publisher = app.Services.GetRequiredService<IEventPublisher>();

        await publisher.PublishBatchAsync("telemetry", [new OutgoingEvent("1"u8.ToArray()) { Id = "x" }, new OutgoingEvent("2"u8.ToArray()) { Id = "y" }]);

        var request = Assert.Single(sidecar.Requests);
        Assert.Equal("/v1.0-alpha1/publish/bulk/pubsub/telemetry?metadata.bulkPublishKeepOrder=true", request.Path);
        using var doc = JsonDocument.Parse(request.Body);
        var entries = doc.RootElement.EnumerateArray().ToList();
        Assert.Equal(["0", "1"], entries.Select(e => e.GetProperty("entryId").GetString()));
        Assert.Equal(["x", "y"], entries.Select(e => e.GetProperty("event").GetProperty("id").GetString()));
        Assert.All(entries, e => Assert.Equal("application/cloudevents+json", e.GetProperty("contentType").GetString()));
    }

    [Fact]
    public async Task Publish_FailsWithTheSidecarsAnswer_WhenItRejects()
    {
        sidecar.PublishStatus = 500;
        var publisher = app.Services.GetRequiredService<IEventPublisher>();

        var error = await Assert.ThrowsAsync<HttpRequestException>(() =>
            publisher.PublishAsync("telemetry", new OutgoingEvent("1"u8.ToArray())));

        Assert.Contains("did not accept", error.Message);
        Assert.Equal(HttpStatusCode.InternalServerError, error.StatusCode);
    }

    [Fact]
    public async Task Health_IsHealthy_WhenTheSidecarAnswers()
    {
        var report = await app.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();

        Assert.Equal(HealthStatus.Healthy, report.Entries["messaging"].Status);
    }

    private async Task<HttpResponseMessage> PostEventAsync(string json)
    {
        var content = new StringContent(json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json");
        return await client.PostAsync("/dapr/events/telemetry", content);
    }

    private static string CloudEventJson(string id, string subject) =>
        $$"""{"data":{"n":1},"datacontenttype":"application/json","id":"{{id}}","pubsubname":"pubsub","source":"sensor","specversion":"1.0","subject":"{{subject}}","topic":"telemetry","traceparent":"00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01","type":"com.dapr.event.sent"}""";
}
