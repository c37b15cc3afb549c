using System.Text.Json;
using EdgeApp.OpcPublisher;
using EdgeApp.OpcPublisher.Engine;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.Tests.Infrastructure;

namespace EdgeApp.Tests.OpcPublisher;

/// <summary>The engine against a real server over TCP: values, formats, batching, heartbeat, key frames, failures, live changes.</summary>
public sealed class PublisherEngineTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private static string Entry(TestUaServer server, string nodes, string extra = "") =>
        $$"""[{"EndpointUrl": "{{server.EndpointUrl}}", "DataSetWriterGroup": "g", "DataSetWriterId": "w", "DataSetPublishingInterval": 50 {{extra}}, "OpcNodes": [{{nodes}}]}]""";

    private static string Node(string name, string extra = "") => $$"""{"Id": "{{TestUaServer.Id(name)}}", "DataSetFieldId": "{{name}}", "OpcSamplingInterval": 10 {{extra}}}""";

    private static async Task Count(TestUaServer server, int times, int everyMs = 20)
    {
        for (var i = 0; i < times; i++)
        {
            server.Counter.Value++;
            await Task.Delay(everyMs);
        }
    }

    /// <summary>
    /// Steps the counter and waits until each value came out before the next, so a sampler delayed on a busy machine
    /// cannot fold two steps into one sample (which OPC UA sampling allows) and make the count look short.
    /// </summary>
    private static async Task CountSeen(TestUaServer server, TestPublisher publisher, int times, bool samples = false)
    {
        for (var i = 0; i < times; i++)
        {
            var next = ++server.Counter.Value;
            await Eventually.TrueAsync(() => SeenCounts(publisher, samples).Contains(next), Wait, $"counter value {next} published");
        }
    }

    private static List<uint> SeenCounts(TestPublisher publisher, bool samples) => samples
        ? publisher.Outbox.Samples().Select(s => s.GetProperty("Value").GetProperty("Value").GetUInt32()).ToList()
        : publisher.Outbox.Field("Counter").Select(f => f.GetProperty("Value").GetUInt32()).ToList();

    [Fact]
    public async Task Values_ArriveInOrderWithoutGaps_AsPubSubDataSetMessages()
    {
        await using var server = await TestUaServer.StartAsync();
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Counter")));
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Count > 0, Wait, "the first value");

        await CountSeen(server, publisher, 30);
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").LastOrDefault().TryGetProperty("Value", out var v) && v.GetUInt32() == 30, Wait, "the last value");

        var values = publisher.Outbox.Field("Counter").Select(f => f.GetProperty("Value").GetUInt32()).ToList();
        Assert.Equal(Enumerable.Range(0, 31).Select(i => (uint)i), values);
        var messages = publisher.Outbox.DataSetMessages();
        Assert.All(messages, m => Assert.Equal("w", m.GetProperty("DataSetWriterName").GetString()));
        Assert.Equal(Enumerable.Range(1, messages.Count).Select(i => (uint)i), messages.Select(m => m.GetProperty("SequenceNumber").GetUInt32()));
        Assert.All(publisher.Outbox.Messages, m => Assert.Equal("g", m.Subject));
        Assert.All(publisher.Outbox.Messages, m => Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", m.TraceParent));
        var first = JsonDocument.Parse(publisher.Outbox.Messages[0].Data).RootElement;
        Assert.Equal("ua-data", first.GetProperty("MessageType").GetString());
        Assert.Equal("test", first.GetProperty("PublisherId").GetString());
        Assert.Equal(publisher.Outbox.Messages[0].Id, first.GetProperty("MessageId").GetString());
    }

    [Fact]
    public async Task Samples_CarryEndpointApplicationUriAndDisplayName_OnePerValue()
    {
        await using var server = await TestUaServer.StartAsync();
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Counter", """, "DisplayName": "Count" """), """, "MessagingMode": "Samples", "BatchSize": 1 """));
        await Eventually.TrueAsync(() => publisher.Outbox.Samples().Count > 0, Wait, "the first value");

        await CountSeen(server, publisher, 5, samples: true);
        await Eventually.TrueAsync(() => publisher.Outbox.Samples().Count >= 6, Wait, "six samples");

        var samples = publisher.Outbox.Samples();
        Assert.All(publisher.Outbox.Messages, m => Assert.Equal(JsonValueKind.Object, JsonDocument.Parse(m.Data).RootElement.ValueKind));
        Assert.Equal(Enumerable.Range(0, 6).Select(i => (uint)i), samples.Take(6).Select(s => s.GetProperty("Value").GetProperty("Value").GetUInt32()));
        var sample = samples[0];
        Assert.Equal(TestUaServer.Id("Counter"), sample.GetProperty("NodeId").GetString());
        Assert.Equal(server.EndpointUrl, sample.GetProperty("EndpointUrl").GetString());
        Assert.Equal("urn:edgeapp:opcua:server", sample.GetProperty("ApplicationUri").GetString());
        Assert.Equal("Count", sample.GetProperty("DisplayName").GetString());
        Assert.Equal("w", sample.GetProperty("ExtensionFields").GetProperty("DataSetWriterId").GetString());
        Assert.True(sample.GetProperty("Value").TryGetProperty("SourceTimestamp", out _));
    }

    [Fact]
    public async Task SkipFirst_LeavesOutTheInitialValue()
    {
        await using var server = await TestUaServer.StartAsync();
        server.Counter.Value = 100;
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Counter", """, "SkipFirst": true""") + "," + Node("Level")));
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Level").Count > 0, Wait, "the initial value of the other node");

        await CountSeen(server, publisher, 2);
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Count >= 2, Wait, "two changes");

        Assert.Equal([101u, 102u], publisher.Outbox.Field("Counter").Select(f => f.GetProperty("Value").GetUInt32()));
    }

    [Fact]
    public async Task Heartbeat_RepeatsTheLastValue_WhileNothingChanges()
    {
        await using var server = await TestUaServer.StartAsync();
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Constant", """, "HeartbeatIntervalTimespan": "00:00:00.300" """) + "," + Node("Counter")));

        await Eventually.TrueAsync(() => publisher.Outbox.Field("Constant").Count >= 4, Wait, "the initial value and three heartbeats");

        var values = publisher.Outbox.Field("Constant");
        Assert.All(values, v => Assert.Equal(42, v.GetProperty("Value").GetInt32()));
        Assert.Single(values.Select(v => v.GetProperty("SourceTimestamp").GetString()).Distinct()); // the last value with its own timestamps
        Assert.True(publisher.Metrics.TotalHeartbeats >= 3);
        Assert.True(publisher.Outbox.Field("Counter").Count <= 1, "a node without heartbeat is sent once while it does not change");
    }

    [Fact]
    public async Task KeyFrames_HoldEveryNode_AtTheConfiguredCount()
    {
        await using var server = await TestUaServer.StartAsync();
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Counter") + "," + Node("Constant") + "," + Node("Level"), """, "DataSetKeyFrameCount": 3"""));
        await Eventually.TrueAsync(() => publisher.Outbox.DataSetMessages().Count > 0, Wait, "the initial values");

        await Count(server, 8, everyMs: 120);
        await Eventually.TrueAsync(() => publisher.Outbox.DataSetMessages().Count >= 7, Wait, "seven data set messages");

        var messages = publisher.Outbox.DataSetMessages();
        for (var i = 0; i < 7; i++)
        {
            var keyFrame = i % 3 == 0;
            Assert.Equal(keyFrame ? "ua-keyframe" : "ua-deltaframe", messages[i].GetProperty("MessageType").GetString());
            var fields = messages[i].GetProperty("Payload").EnumerateObject().Select(p => p.Name).ToHashSet();
            if (keyFrame)
            {
                Assert.True(fields.SetEquals(["Counter", "Constant", "Level"]), string.Join(",", fields));
            }
            else
            {
                Assert.Equal(["Counter"], fields);
            }
        }
    }

    [Fact]
    public async Task Batching_SplitsBySize_AndWaitsForTheTriggerInterval()
    {
        await using var server = await TestUaServer.StartAsync(manyCount: 5);
        await using var publisher = new TestPublisher();
        var nodes = string.Join(",", Enumerable.Range(1, 5).Select(i => Node($"Many{i}")));
        await publisher.ApplyAsync(Entry(server, nodes, """, "BatchSize": 2"""));

        await Eventually.TrueAsync(() => publisher.Outbox.DataSetMessages().Sum(m => m.GetProperty("Payload").EnumerateObject().Count()) >= 5, Wait, "five initial values");
        Assert.All(publisher.Outbox.Messages, m => Assert.True(m.Values <= 2, $"{m.Values} values in one message"));

        await using var batched = new TestPublisher();
        await batched.ApplyAsync(Entry(server, Node("Counter"), """, "BatchSize": 1000, "BatchTriggerIntervalTimespan": "00:00:00.600" """));
        await Eventually.TrueAsync(() => batched.Outbox.Messages.Count > 0, Wait, "the initial value");
        var before = batched.Outbox.Messages.Count;
        await Count(server, 10, everyMs: 60);
        await Eventually.TrueAsync(() => batched.Outbox.Field("Counter").Count >= 11, Wait, "all values");

        var after = batched.Outbox.Messages.Skip(before).ToList();
        Assert.True(after.Count <= 3, $"10 values over 600 ms in {after.Count} messages");
        Assert.Contains(after, m => m.Values > 1);
    }

    [Fact]
    public async Task SplitKeyFrame_IsOneKeyFrameFollowedByDeltaFrames_HoldingEveryNode()
    {
        await using var server = await TestUaServer.StartAsync(manyCount: 60);
        await using var publisher = new TestPublisher(new OpcPublisherOptions { PublisherId = "test", MaxMessageBytes = 1024 });
        var nodes = string.Join(",", Enumerable.Range(1, 60).Select(i => Node($"Many{i}")));
        await publisher.ApplyAsync(Entry(server, nodes, """, "DataSetKeyFrameCount": 1000"""));

        await Eventually.TrueAsync(() => publisher.Outbox.DataSetMessages().SelectMany(m => m.GetProperty("Payload").EnumerateObject()).Count() >= 60, Wait, "all initial values");

        var messages = publisher.Outbox.DataSetMessages();
        Assert.True(messages.Count > 1, "1 KiB messages cannot hold 60 values: the key frame is split");
        Assert.Equal("ua-keyframe", messages[0].GetProperty("MessageType").GetString());
        Assert.All(messages.Skip(1), m => Assert.Equal("ua-deltaframe", m.GetProperty("MessageType").GetString()));
        var fields = messages.SelectMany(m => m.GetProperty("Payload").EnumerateObject().Select(p => p.Name)).ToHashSet();
        Assert.Equal(60, fields.Count);
    }

    [Fact]
    public async Task FailingOutbox_DropsWhatWasPending_CountsIt_AndTheWriterGoesOn()
    {
        await using var server = await TestUaServer.StartAsync();
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Counter")));
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Count > 0, Wait, "the first value");

        publisher.Outbox.FailNext(1);
        server.Counter.Value++;
        await Eventually.TrueAsync(() => publisher.Metrics.TotalDropped > 0, Wait, "the refused values counted");
        await CountSeen(server, publisher, 3);

        Assert.True(publisher.Metrics.TotalGaps >= 1, "the loss is a gap");
        Assert.Contains("broken", publisher.Session(server.EndpointUrl).Writers.Single().RecentFailure, StringComparison.Ordinal);
        Assert.Equal([2u, 3u, 4u], publisher.Outbox.Field("Counter").Select(f => f.GetProperty("Value").GetUInt32()).Where(v => v > 1));
    }

    [Fact]
    public async Task MissingNode_IsReportedWithItsStatus_WhileTheOthersPublish()
    {
        await using var server = await TestUaServer.StartAsync();
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Counter") + "," + Node("NoSuchNode") + """, {"Id": "nsu=urn:nowhere;s=X"}"""));
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Count > 0, Wait, "the first value");

        await CountSeen(server, publisher, 3);
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Count >= 4, Wait, "the good node's values");
        await Eventually.TrueAsync(() => publisher.Nodes.Count(n => n.Item is null) == 2, Wait, "two nodes refused");

        var failed = publisher.Nodes.Where(n => n.Item is null).ToDictionary(n => n.Plan.Config.Id, n => n.Status);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, failed[TestUaServer.Id("NoSuchNode")]);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, failed["nsu=urn:nowhere;s=X"]);
        Assert.Equal(EndpointState.Connected, publisher.Session(server.EndpointUrl).State);
    }

    [Fact]
    public async Task UnreachableEndpoint_IsRetried_AndPublishesOnceUp_WithoutHoldingUpAnother()
    {
        await using var up = await TestUaServer.StartAsync();
        var downPort = RedisServer.FreePort();
        await using var publisher = new TestPublisher();
        var downUrl = $"opc.tcp://127.0.0.1:{downPort}/";
        await publisher.ApplyAsync($$"""
            [{"EndpointUrl": "{{downUrl}}", "DataSetWriterGroup": "down", "DataSetPublishingInterval": 50, "OpcNodes": [{{Node("Counter")}}]},
             {"EndpointUrl": "{{up.EndpointUrl}}", "DataSetWriterGroup": "up", "DataSetPublishingInterval": 50, "OpcNodes": [{{Node("Counter")}}]}]
            """);

        await Eventually.TrueAsync(() => publisher.Outbox.Messages.Any(m => m.Subject == "up"), Wait, "the reachable endpoint publishes");
        await Eventually.TrueAsync(() => publisher.Session(downUrl).ConnectAttempts >= 2, Wait, "the unreachable endpoint is retried");
        Assert.Equal(EndpointState.Connecting, publisher.Session(downUrl).State);
        Assert.NotNull(publisher.Session(downUrl).LastError);

        await using var late = await TestUaServer.StartAsync(port: downPort);
        late.Counter.Value = 7;
        await Eventually.TrueAsync(() => publisher.Outbox.Messages.Any(m => m.Subject == "down"), Wait, "the endpoint publishes once it is up");
        Assert.Equal(EndpointState.Connected, publisher.Session(downUrl).State);
    }

    [Fact]
    public async Task UnsupportedSecurity_IsReportedForItsEndpoint_WhileAnotherPublishes()
    {
        await using var server = await TestUaServer.StartAsync();
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync($$"""
            [{"EndpointUrl": "{{server.EndpointUrl}}", "UseSecurity": true, "DataSetWriterGroup": "secure", "OpcNodes": [{{Node("Counter")}}]},
             {"EndpointUrl": "{{server.EndpointUrl}}", "DataSetWriterGroup": "plain", "DataSetPublishingInterval": 50, "OpcNodes": [{{Node("Counter")}}]}]
            """);

        await Eventually.TrueAsync(() => publisher.Outbox.Messages.Any(m => m.Subject == "plain"), Wait, "the plain endpoint publishes");
        var secure = publisher.Engine.Sessions.Single(s => s.Identity.SecurityMode == "SignAndEncrypt");
        await Eventually.TrueAsync(() => secure.State == EndpointState.Unsupported, Wait, "the secure entry is refused");
        Assert.Contains("SignAndEncrypt", secure.LastError, StringComparison.Ordinal);
        Assert.DoesNotContain(publisher.Outbox.Messages, m => m.Subject == "secure");
    }

    [Fact]
    public async Task LostConnection_DataResumesByItself_WithAKeyFrameAfterTheGap()
    {
        var server = await TestUaServer.StartAsync();
        try
        {
            await using var publisher = new TestPublisher();
            await publisher.ApplyAsync(Entry(server, Node("Counter") + "," + Node("Constant")));
            await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Count > 0, Wait, "the first value");
            await CountSeen(server, publisher, 3);
            await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Count >= 4, Wait, "values before the restart");

            await server.StopAsync();
            await Eventually.TrueAsync(() => publisher.Session(server.EndpointUrl).State == EndpointState.Reconnecting, Wait, "the loss is noticed");
            await server.StartAgainAsync();
            await Count(server, 3, everyMs: 50);
            await Eventually.TrueAsync(() => publisher.Outbox.Field("Counter").Any(v => v.GetProperty("Value").GetUInt32() == 6), Wait, "values after the restart");

            Assert.Equal(EndpointState.Connected, publisher.Session(server.EndpointUrl).State);
            Assert.True(publisher.Metrics.TotalGaps >= 1, "the recreated subscription is reported as a gap");
            var afterGap = publisher.Outbox.DataSetMessages().SkipWhile(m => m.GetProperty("MessageType").GetString() != "ua-keyframe").ToList();
            Assert.NotEmpty(afterGap);
            Assert.True(afterGap[0].GetProperty("Payload").TryGetProperty("Constant", out _), "the key frame holds the node that did not change");
        }
        finally
        {
            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task ChangedConfiguration_AddsModifiesAndRemovesItems_OnTheLiveSubscription()
    {
        await using var server = await TestUaServer.StartAsync(manyCount: 3);
        await using var publisher = new TestPublisher();
        await publisher.ApplyAsync(Entry(server, Node("Many1") + "," + Node("Many2")));
        await Eventually.TrueAsync(() => server.Server.Subscriptions.MonitoredItemCount == 2, Wait, "two items");
        var subscriptionId = publisher.Session(server.EndpointUrl).Writers.Single().Subscription!.Id;

        await publisher.ApplyAsync(Entry(server, Node("Many2", """, "QueueSize": 7""") + "," + Node("Many3")));
        await Eventually.TrueAsync(
            () => publisher.Nodes.Select(n => n.Plan.Config.Id).Order().SequenceEqual([TestUaServer.Id("Many2"), TestUaServer.Id("Many3")])
                && publisher.Nodes.All(n => n.Item is not null),
            Wait, "Many1 removed, Many3 added");
        await Eventually.TrueAsync(() => server.Server.Subscriptions.MonitoredItemCount == 2, Wait, "two items on the server");

        var writer = publisher.Session(server.EndpointUrl).Writers.Single();
        Assert.Equal(subscriptionId, writer.Subscription!.Id); // the same subscription, changed in place
        Assert.Equal(7u, writer.Nodes.Single(n => n.Plan.Config.Id == TestUaServer.Id("Many2")).Item!.RevisedQueueSize);

        server.Many[2].Value = 5;
        await Eventually.TrueAsync(() => publisher.Outbox.Field("Many3").Any(v => v.GetProperty("Value").GetUInt32() == 5), Wait, "the added node publishes");

        await publisher.ApplyAsync("[]");
        await Eventually.TrueAsync(() => server.Server.Subscriptions.Count == 0, Wait, "the subscription is deleted with the last writer");
        Assert.Empty(publisher.Engine.Sessions);
    }
}
