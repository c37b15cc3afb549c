using System.Text;
using EdgeApp.OpcPublisher;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcPublisher;

public sealed class PublishingPlanTests
{
    private static IReadOnlyList<EndpointPlan> Plan(string json, OpcPublisherOptions? options = null) =>
        PublishingPlan.Build(PublishedNodesParser.Parse(Encoding.UTF8.GetBytes(json), "pn.json").Entries, options ?? new OpcPublisherOptions());

    [Fact]
    public void Build_OpensOneSessionPerEndpointSecurityAndUser()
    {
        var plan = Plan("""
            [
              {"EndpointUrl": "opc.tcp://a:50000", "OpcNodes": [{"Id": "i=1"}]},
              {"EndpointUrl": "opc.tcp://a:50000/", "DataSetWriterGroup": "other", "OpcNodes": [{"Id": "i=2"}]},
              {"EndpointUrl": "opc.tcp://a:50000", "OpcAuthenticationMode": "UsernamePassword", "OpcAuthenticationUsername": "u", "OpcNodes": [{"Id": "i=3"}]},
              {"EndpointUrl": "opc.tcp://b:50000", "OpcNodes": [{"Id": "i=4"}]}
            ]
            """);

        Assert.Equal(3, plan.Count);
        Assert.Equal(2, plan[0].Writers.Count); // two writer groups in one session
        Assert.Equal("opc.tcp://a:50000/", plan[0].Identity.EndpointUrl);
        Assert.Equal("u", plan[1].Identity.UserName);
        Assert.Equal("opc.tcp://b:50000/", plan[2].Identity.EndpointUrl);
    }

    [Fact]
    public void Build_MakesOneWriterPerWriterIdAndPublishingInterval()
    {
        var plan = Plan("""
            [
              {"EndpointUrl": "opc.tcp://a:50000", "DataSetWriterGroup": "g", "DataSetWriterId": "w", "DataSetPublishingInterval": 1000,
               "OpcNodes": [{"Id": "i=1"}, {"Id": "i=2", "OpcPublishingInterval": 100}, {"Id": "i=3"}]},
              {"EndpointUrl": "opc.tcp://a:50000", "DataSetWriterGroup": "g", "DataSetWriterId": "w", "DataSetPublishingInterval": 1000,
               "OpcNodes": [{"Id": "i=4"}]},
              {"EndpointUrl": "opc.tcp://a:50000", "DataSetWriterGroup": "g", "OpcNodes": [{"Id": "i=5"}]}
            ]
            """);

        var writers = Assert.Single(plan).Writers;
        Assert.Equal(3, writers.Count);
        Assert.Equal(new WriterKey("g", "w", TimeSpan.FromSeconds(1)), writers[0].Key);
        Assert.Equal(["i=1", "i=3", "i=4"], writers[0].Nodes.Select(n => n.Key));
        Assert.Equal("w_1000", writers[0].Name);
        Assert.Equal("w_100", writers[1].Name);
        Assert.Equal(["i=2"], writers[1].Nodes.Select(n => n.Key));
        Assert.Equal("1000", writers[2].Name); // no DataSetWriterId: the interval names it, as in OPC Publisher
        Assert.Equal([1, 2, 3], writers.Select(w => (int)w.Ordinal));
    }

    [Fact]
    public void Build_TakesGroupSettingsFromTheFirstEntryOfTheGroup()
    {
        var plan = Plan("""
            [
              {"EndpointUrl": "opc.tcp://a:50000", "DataSetWriterGroup": "g", "DataSetWriterId": "1", "MessagingMode": "Samples", "BatchSize": 5, "OpcNodes": [{"Id": "i=1"}]},
              {"EndpointUrl": "opc.tcp://a:50000", "DataSetWriterGroup": "g", "DataSetWriterId": "2", "MessagingMode": "PubSub", "BatchSize": 9, "OpcNodes": [{"Id": "i=2"}]}
            ]
            """);

        Assert.All(plan[0].Writers, w => Assert.Equal(new GroupSettings(MessagingMode.Samples, 5, TimeSpan.Zero), w.Group));
    }

    [Fact]
    public void Build_DefaultsTheGroupToTheEndpointAndTheIntervalsToThePublisherOptions()
    {
        var plan = Plan("""[{"EndpointUrl": "opc.tcp://a:50000", "OpcNodes": [{"Id": "i=1"}]}]""",
            new OpcPublisherOptions { DefaultPublishingIntervalMs = 500, AutoQueueSize = false, MessagingMode = MessagingMode.Samples, BatchSize = 7, BatchTriggerIntervalMs = 20 });

        var writer = plan[0].Writers[0];
        Assert.Equal("opc.tcp://a:50000", writer.Key.Group);
        Assert.Equal(TimeSpan.FromMilliseconds(500), writer.Key.PublishingInterval);
        Assert.Equal(new GroupSettings(MessagingMode.Samples, 7, TimeSpan.FromMilliseconds(20)), writer.Group);
        var node = writer.Nodes[0];
        Assert.Null(node.SamplingInterval); // -1: the publishing interval
        Assert.Equal(1u, node.QueueSize);
        Assert.True(node.DiscardOldest);
        Assert.Null(node.Filter);
    }

    [Theory]
    [InlineData(1000, 100, 11u)]
    [InlineData(100, 100, 2u)]
    [InlineData(100, 1000, 2u)]
    public void Build_SizesQueuesForEverySampleOfAPublishingInterval(int publishingMs, int samplingMs, uint expected)
    {
        var plan = Plan($$"""[{"EndpointUrl": "opc.tcp://a:50000", "OpcNodes": [{"Id": "i=1", "OpcPublishingInterval": {{publishingMs}}, "OpcSamplingInterval": {{samplingMs}}}]}]""");

        Assert.Equal(expected, plan[0].Writers[0].Nodes[0].QueueSize);
    }

    [Fact]
    public void Build_MapsTriggerAndDeadbandOntoADataChangeFilter()
    {
        var plan = Plan("""
            [{"EndpointUrl": "opc.tcp://a:50000", "DataSetSamplingInterval": 50, "OpcNodes": [
              {"Id": "i=1", "DeadbandType": "Absolute", "DeadbandValue": 1.5, "DiscardNew": true, "QueueSize": 3},
              {"Id": "i=2", "DataChangeTrigger": "StatusValueTimestamp", "OpcSamplingInterval": 0}]}]
            """);

        var nodes = plan[0].Writers[0].Nodes;
        Assert.Equal(new DataChangeFilter { Trigger = DataChangeTrigger.StatusValue, DeadbandType = DeadbandType.Absolute, DeadbandValue = 1.5 }, nodes[0].Filter);
        Assert.False(nodes[0].DiscardOldest);
        Assert.Equal(3u, nodes[0].QueueSize);
        Assert.Equal(TimeSpan.FromMilliseconds(50), nodes[0].SamplingInterval);
        Assert.Equal(new DataChangeFilter { Trigger = DataChangeTrigger.StatusValueTimestamp }, nodes[1].Filter);
        Assert.Equal(TimeSpan.Zero, nodes[1].SamplingInterval);
    }

    [Fact]
    public void Build_KeepsTheLaterOfTwoEqualNodesInAWriter()
    {
        var plan = Plan("""[{"EndpointUrl": "opc.tcp://a:50000", "OpcNodes": [{"Id": "i=1", "DisplayName": "first"}, {"Id": "i=1", "DisplayName": "second"}]}]""");

        Assert.Equal("second", Assert.Single(plan[0].Writers[0].Nodes).Config.DisplayName);
    }

    [Fact]
    public void Build_NumbersAndNamesWritersUniquely_WhenAGroupSpansEndpoints()
    {
        var plan = Plan("""
            [
              {"EndpointUrl": "opc.tcp://a:50000", "DataSetWriterGroup": "line", "DataSetWriterId": "w", "OpcNodes": [{"Id": "i=1"}]},
              {"EndpointUrl": "opc.tcp://b:50000", "DataSetWriterGroup": "line", "DataSetWriterId": "w", "OpcNodes": [{"Id": "i=2"}]}
            ]
            """);

        var writers = plan.SelectMany(e => e.Writers).ToList();
        Assert.Equal(2, writers.Count);
        Assert.Equal([1, 2], writers.Select(w => (int)w.Ordinal));
        Assert.Equal(2, writers.Select(w => w.Name).Distinct().Count());
        Assert.Equal("w", writers[0].Name);
    }

    [Fact]
    public void Build_GivesNodesWithOneFieldNameDistinctNames_SoNoPayloadValueIsOverwritten()
    {
        var plan = Plan("""
            [{"EndpointUrl": "opc.tcp://a:50000", "OpcNodes": [
              {"Id": "i=1", "DisplayName": "Temp"}, {"Id": "i=2", "DisplayName": "Temp"}, {"Id": "i=3", "DisplayName": "Temp"}, {"Id": "i=4"}]}]
            """);

        Assert.Equal(["Temp", "Temp_2", "Temp_3", "i=4"], plan[0].Writers[0].Nodes.Select(n => n.FieldName));
    }
}
