using System.Text.Json;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Gateway.Sinks.Dapr;
using EdgeApp.Messaging;
using EdgeApp.Messaging.Transports.Dapr;
using EdgeApp.Tests.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeApp.Tests.Gateway;

/// <summary>The Dapr pub/sub sink forwards CloudEvents unchanged to another component through the sidecar.</summary>
public sealed class DaprPubSubSinkTests : IAsyncLifetime
{
    private FakeSidecar sidecar = null!;
    private WebApplication app = null!;

    public async Task InitializeAsync()
    {
        sidecar = await FakeSidecar.StartAsync();
        (app, _) = await LoopbackApp.StartAsync(
            builder =>
            {
                builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
                {
                    ["Messaging:AppId"] = "gateway",
                    ["Messaging:Dapr:HttpEndpoint"] = sidecar.Address.ToString(),
                });
                builder.Services.AddOptions<MessagingOptions>().BindConfiguration(MessagingOptions.SectionName);
                builder.Services.AddDaprSidecarClient();
            },
            _ => { });
    }

    public async Task DisposeAsync()
    {
        await app.DisposeAsync();
        await sidecar.DisposeAsync();
    }

    [Fact]
    public async Task Write_BulkPublishesTheOriginalEnvelopes_ToTheConfiguredComponentAndTopic()
    {
        var sink = new DaprPubSubSink("remote", app.Services.GetRequiredService<DaprSidecarClient>(), new DaprPubSubSinkOptions { PubSubName = "remote-pub-sub", Topic = "cloud" });
        var records = new[] { GatewayTestHost.Event("a").Event, GatewayTestHost.Event("b").Event }.Select(SinkRecord.From).ToArray();

        var rejections = await sink.WriteAsync(records, CancellationToken.None);

        Assert.Empty(rejections);
        var request = Assert.Single(sidecar.Requests);
        Assert.Equal("/v1.0-alpha1/publish/bulk/remote-pub-sub/cloud?metadata.bulkPublishKeepOrder=true", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        var events = body.RootElement.EnumerateArray().Select(e => e.GetProperty("event").GetRawText()).ToList();
        Assert.Equal(records.Select(r => JsonDocument.Parse(r.Envelope).RootElement.GetRawText()), events);
    }

    [Fact]
    public async Task Write_Throws_WhenTheSidecarRefuses_SoTheBatchIsSpooled()
    {
        sidecar.PublishStatus = 500;
        var sink = new DaprPubSubSink("remote", app.Services.GetRequiredService<DaprSidecarClient>(), new DaprPubSubSinkOptions());

        await Assert.ThrowsAsync<HttpRequestException>(async () => await sink.WriteAsync([SinkRecord.From(GatewayTestHost.Event("a").Event)], CancellationToken.None));
    }
}
