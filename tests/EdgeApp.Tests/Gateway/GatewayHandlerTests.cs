using EdgeApp.Gateway.Forwarding;
using EdgeApp.Tests.Infrastructure;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Messaging;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeApp.Tests.Gateway;

public sealed class GatewayHandlerTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("edgeapp-gw-").FullName;

    public void Dispose() => Directory.Delete(root, recursive: true);

    [Fact]
    public async Task RoutedEvents_ReachEveryMatchingSink_AndUnroutableOnesTheDeadLetterSinkWithTheReason()
    {
        var settings = GatewayTestHost.FileSinks(root, "archive", "cloud");
        settings["Gateway:Routes:0:Sources:0"] = "sensor";
        settings["Gateway:Routes:0:Sinks:0"] = "archive";
        settings["Gateway:Routes:0:Sinks:1"] = "cloud";
        await using var host = new GatewayTestHost(settings);
        var batch = new[] { GatewayTestHost.Event("a"), GatewayTestHost.Event("stray", source: "unknown"), GatewayTestHost.Event("b") };
        var statuses = new DeliveryStatus[3];

        await host.Handler.HandleBatchAsync(batch, statuses, CancellationToken.None);

        Assert.All(statuses, s => Assert.Equal(DeliveryStatus.Success, s));
        Assert.Equal(["a", "b"], GatewayTestHost.ReadLines(Path.Combine(root, "archive")).Select(e => e.GetProperty("id").GetString()));
        Assert.Equal(["a", "b"], GatewayTestHost.ReadLines(Path.Combine(root, "cloud")).Select(e => e.GetProperty("id").GetString()));
        var dead = Assert.Single(GatewayTestHost.ReadLines(Path.Combine(root, "deadletter")));
        Assert.Equal("no route matches the event", dead.GetProperty("reason").GetString());
        Assert.Equal("stray", dead.GetProperty("event").GetProperty("id").GetString());
    }

    [Fact]
    public async Task FailingSink_SpoolsItsEvents_AndTheyArriveInOrderOnceItRecovers()
    {
        var settings = GatewayTestHost.FileSinks(root, "good", "bad");
        settings["Gateway:Routes:0:Sources:0"] = "sensor";
        settings["Gateway:Routes:0:Sinks:0"] = "good";
        settings["Gateway:Routes:1:Sources:0"] = "plc";
        settings["Gateway:Routes:1:Sinks:0"] = "bad";
        var blocked = Path.Combine(root, "bad");
        await File.WriteAllTextAsync(blocked, "a file where the directory should be");
        await using var host = new GatewayTestHost(settings);
        await host.StartAsync();
        var statuses = new DeliveryStatus[2];

        for (var i = 0; i < 5; i++)
        {
            await host.Handler.HandleBatchAsync([GatewayTestHost.Event($"s{i}"), GatewayTestHost.Event($"p{i}", source: "plc")], statuses, CancellationToken.None);
            Assert.Equal([DeliveryStatus.Success, DeliveryStatus.Success], statuses);
        }

        Assert.Equal(5, host.Channels.Spooled("bad"));
        Assert.Equal(0, host.Channels.Spooled("good"));
        Assert.Equal(5, GatewayTestHost.ReadLines(Path.Combine(root, "good")).Count);

        File.Delete(blocked);
        await Eventually.TrueAsync(() => host.Channels.Spooled("bad") == 0, TimeSpan.FromSeconds(30), "the spool drained once the sink recovered");
        await host.Handler.HandleBatchAsync([GatewayTestHost.Event("s5"), GatewayTestHost.Event("p5", source: "plc")], statuses, CancellationToken.None);

        // p5 may have followed the others through the spool if the channel had not switched back yet: wait for it.
        await Eventually.TrueAsync(() => GatewayTestHost.ReadLines(blocked).Count == 6, TimeSpan.FromSeconds(30), "p5 written");
        Assert.Equal(["p0", "p1", "p2", "p3", "p4", "p5"], GatewayTestHost.ReadLines(blocked).Select(e => e.GetProperty("id").GetString()));
    }

    [Fact]
    public async Task AfterAnOutage_TheChannelReturnsToDirectWrites_EvenWhileEventsKeepComing()
    {
        var settings = GatewayTestHost.FileSinks(root, "bad");
        settings["Gateway:Routes:0:Sinks:0"] = "bad";
        var blocked = Path.Combine(root, "bad");
        await File.WriteAllTextAsync(blocked, "a file where the directory should be");
        await using var host = new GatewayTestHost(settings);
        await host.StartAsync();
        var statuses = new DeliveryStatus[1];
        await host.Handler.HandleBatchAsync([GatewayTestHost.Event("first")], statuses, CancellationToken.None);
        Assert.True(host.Channels.IsSpooling("bad"));

        File.Delete(blocked);
        var sent = 0;
        await Eventually.TrueAsync(
            async () =>
            {
                await host.Handler.HandleBatchAsync([GatewayTestHost.Event($"e{sent++}")], statuses, CancellationToken.None);
                return !host.Channels.IsSpooling("bad");
            },
            TimeSpan.FromSeconds(30),
            "direct writes again despite a steady stream");
        var ids = GatewayTestHost.ReadLines(blocked).Select(e => e.GetProperty("id").GetString()).ToList();
        Assert.Equal(["first", .. Enumerable.Range(0, sent).Select(i => $"e{i}")], ids);
    }

    [Fact]
    public async Task RecordThatIsNotJson_IsDeadLetteredByteForByte_AndTheRestWritten()
    {
        var settings = GatewayTestHost.FileSinks(root, "file");
        settings["Gateway:Routes:0:Sinks:0"] = "file";
        await using var host = new GatewayTestHost(settings);
        var channels = host.Services.GetRequiredService<SinkChannels>();
        var broken = new SinkRecord("broken", "m", null, "{\n not json"u8.ToArray());

        var result = await channels["file"].WriteAsync([SinkRecord.From(GatewayTestHost.Event("ok").Event), broken], CancellationToken.None);
        var written = await host.Services.GetRequiredService<GatewayDeadLetters>().TryWriteAsync([(broken, result.Rejections.Single().Reason, "file")], CancellationToken.None);

        Assert.True(written);
        Assert.Equal(1, result.Rejections.Single().Index);
        Assert.Equal(["ok"], GatewayTestHost.ReadLines(Path.Combine(root, "file")).Select(e => e.GetProperty("id").GetString()));
        var dead = Assert.Single(GatewayTestHost.ReadLines(Path.Combine(root, "deadletter")));
        Assert.Equal("broken", dead.GetProperty("id").GetString());
        Assert.Equal("{\n not json", System.Text.Encoding.UTF8.GetString(dead.GetProperty("eventBase64").GetBytesFromBase64()));
    }

    [Fact]
    public async Task DeadLetterSinkThatRefuses_MakesTheEventsRetry_NotDisappear()
    {
        var settings = GatewayTestHost.FileSinks(root);
        settings["Gateway:Routes:0:Sources:0"] = "nobody";
        settings["Gateway:Routes:0:Sinks:0"] = "deadletter";
        await using var host = new GatewayTestHost(settings, services => services.AddSingleton<SinkChannels>(sp =>
            new SinkChannels(sp, new Dictionary<string, SinkType> { ["deadletter"] = SinkType.File }, sp.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>(),
                _ => new RejectingSink("deadletter", rejectAll: true))));
        var statuses = new DeliveryStatus[1];

        await host.Handler.HandleBatchAsync([GatewayTestHost.Event("unroutable")], statuses, CancellationToken.None);

        Assert.Equal(DeliveryStatus.Retry, statuses[0]);
    }

    [Fact]
    public async Task FullSpoolUnderBackpressure_MakesEventsRetry()
    {
        var settings = GatewayTestHost.FileSinks(root, "bad");
        settings["Gateway:Routes:0:Sinks:0"] = "bad";
        settings["Spool:MaxBytes"] = "4096";
        settings["Spool:SegmentBytes"] = "2048";
        settings["Gateway:FullSpoolWait"] = "00:00:00.300";
        await File.WriteAllTextAsync(Path.Combine(root, "bad"), "a file where the directory should be");
        await using var host = new GatewayTestHost(settings);
        var statuses = new DeliveryStatus[1];
        var seen = new List<DeliveryStatus>();

        for (var i = 0; i < 40; i++)
        {
            await host.Handler.HandleBatchAsync([GatewayTestHost.Event($"e{i}")], statuses, CancellationToken.None);
            seen.Add(statuses[0]);
        }

        Assert.Equal(DeliveryStatus.Success, seen[0]);
        Assert.Equal(DeliveryStatus.Retry, seen[^1]);
        Assert.True(host.Channels.Spooled("bad") > 0);
    }

    [Fact]
    public async Task RejectedEvents_GoToTheDeadLetterSink_NamingTheSinkAndReason()
    {
        var settings = GatewayTestHost.FileSinks(root);
        settings["Gateway:Routes:0:Sinks:0"] = "picky";
        settings["Gateway:Sinks:picky:Type"] = "File";
        settings["Gateway:Sinks:picky:Directory"] = Path.Combine(root, "picky");
        await using var host = new GatewayTestHost(settings, services => services.AddSingleton<SinkChannels>(sp =>
            new SinkChannels(sp, new Dictionary<string, SinkType> { ["picky"] = SinkType.File, ["deadletter"] = SinkType.File }, sp.GetRequiredService<Polly.Registry.ResiliencePipelineProvider<string>>(),
                name => name == "picky" ? new RejectingSink("picky") : null)));
        var statuses = new DeliveryStatus[2];

        await host.Handler.HandleBatchAsync([GatewayTestHost.Event("small"), GatewayTestHost.Event("huge")], statuses, CancellationToken.None);

        Assert.All(statuses, s => Assert.Equal(DeliveryStatus.Success, s));
        var dead = Assert.Single(GatewayTestHost.ReadLines(Path.Combine(root, "deadletter")));
        Assert.Equal("too large", dead.GetProperty("reason").GetString());
        Assert.Equal("picky", dead.GetProperty("sink").GetString());
        Assert.Equal("huge", dead.GetProperty("event").GetProperty("id").GetString());
    }

    [Theory]
    [InlineData("Gateway:Sinks:file:Type", "Carrier", "Gateway:Sinks:file:Type must be one of File, EventHubs, DaprPubSub")]
    [InlineData("Gateway:Routes:0:Sinks:0", "nowhere", "Gateway:Routes:0:Sinks names 'nowhere'")]
    [InlineData("Gateway:DeadLetterSink", "missing", "Gateway:DeadLetterSink 'missing' is not a sink")]
    [InlineData("Gateway:Sinks:file:MaxFileBytes", "10", "Gateway:Sinks:file:MaxFileBytes must be at least 1024")]
    [InlineData("Gateway:Topics:0", "bad topic", "Gateway:Topics:0 'bad topic' is not a valid topic name")]
    public void InvalidConfiguration_FailsAtStart_NamingTheKey(string key, string value, string expected)
    {
        var settings = GatewayTestHost.FileSinks(root, "file");
        settings["Gateway:Routes:0:Sinks:0"] = "file";
        settings[key] = value;

        var error = Assert.Throws<OptionsValidationException>(() => new GatewayTestHost(settings).Handler);

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public void EventHubsSinkWithoutItsConnectionString_FailsAtStart_NamingIt()
    {
        var settings = GatewayTestHost.FileSinks(root);
        settings["Gateway:Routes:0:Sinks:0"] = "cloud";
        settings["Gateway:Sinks:cloud:Type"] = "EventHubs";

        var error = Assert.Throws<OptionsValidationException>(() => new GatewayTestHost(settings).Handler);

        Assert.Contains("needs the connection string ConnectionStrings:eventhubs", error.Message);
    }

    private sealed class RejectingSink(string name, bool rejectAll = false) : IEventSink
    {
        public string Name => name;

        public ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken) =>
            ValueTask.FromResult<IReadOnlyList<SinkRejection>>(
                batch.Select((r, i) => (r, i)).Where(x => rejectAll || x.r.Id == "huge").Select(x => new SinkRejection(x.i, "too large")).ToList());
    }
}
