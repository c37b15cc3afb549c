using System.Text.Json.Nodes;

namespace EdgeApp.AppHost.EventHubs;

/// <summary>
/// The emulator's Config.json (/Eventhubs_Emulator/ConfigFiles/Config.json): one namespace with the hubs the
/// AppHost declares. Its schema allows 1-10 hubs, 1-32 partitions each and up to 20 consumer groups.
/// </summary>
public static class EmulatorConfig
{
    public static string Write(IReadOnlyList<EventHubDefinition> hubs)
    {
        if (hubs.Count is < 1 or > 10)
        {
            throw new ArgumentException("The Event Hubs emulator takes between 1 and 10 hubs.", nameof(hubs));
        }

        var entities = new JsonArray();
        foreach (var hub in hubs)
        {
            if (hub.PartitionCount is < 1 or > 32 || hub.ConsumerGroups.Count > 20)
            {
                throw new ArgumentException($"Hub '{hub.Name}': the emulator takes 1-32 partitions and at most 20 consumer groups.", nameof(hubs));
            }

            entities.Add(new JsonObject
            {
                ["Name"] = hub.Name,
                ["PartitionCount"] = hub.PartitionCount,
                ["ConsumerGroups"] = new JsonArray(hub.ConsumerGroups.Select(g => (JsonNode)new JsonObject { ["Name"] = g }).ToArray()),
            });
        }

        var config = new JsonObject
        {
            ["UserConfig"] = new JsonObject
            {
                ["NamespaceConfig"] = new JsonArray(new JsonObject
                {
                    ["Type"] = "EventHub",
                    ["Name"] = "emulatorNs1",
                    ["Entities"] = entities,
                }),
                ["LoggingConfig"] = new JsonObject { ["Type"] = "Console" },
            },
        };
        return config.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }
}

public sealed record EventHubDefinition(string Name, int PartitionCount, IReadOnlyList<string> ConsumerGroups);
