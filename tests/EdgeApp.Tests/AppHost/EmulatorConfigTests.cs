using System.Text.Json;
using EdgeApp.AppHost.EventHubs;

namespace EdgeApp.Tests.AppHost;

public class EmulatorConfigTests
{
    [Fact]
    public void Write_DescribesOneNamespaceWithTheDeclaredHubs()
    {
        var json = EmulatorConfig.Write([new EventHubDefinition("telemetry", 4, ["gateway-readers"]), new EventHubDefinition("alarms", 1, [])]);

        using var doc = JsonDocument.Parse(json);
        var ns = Assert.Single(doc.RootElement.GetProperty("UserConfig").GetProperty("NamespaceConfig").EnumerateArray());
        Assert.Equal("EventHub", ns.GetProperty("Type").GetString());
        Assert.Equal("emulatorNs1", ns.GetProperty("Name").GetString());
        var hubs = ns.GetProperty("Entities").EnumerateArray().ToList();
        Assert.Equal(["telemetry", "alarms"], hubs.Select(h => h.GetProperty("Name").GetString()));
        Assert.Equal(4, hubs[0].GetProperty("PartitionCount").GetInt32());
        Assert.Equal("gateway-readers", hubs[0].GetProperty("ConsumerGroups")[0].GetProperty("Name").GetString());
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    public void Write_RefusesWhatTheEmulatorSchemaDoesNotAllow(int partitions)
    {
        Assert.Throws<ArgumentException>(() => EmulatorConfig.Write([new EventHubDefinition("t", partitions, [])]));
        Assert.Throws<ArgumentException>(() => EmulatorConfig.Write([]));
    }
}
