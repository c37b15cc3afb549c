using EdgeApp.AppHost.Hosting;

namespace EdgeApp.AppHost.EventHubs;

public static class EventHubsExtensions
{
    private const string EmulatorImage = "mcr.microsoft.com/azure-messaging/eventhubs-emulator";
    private const string EmulatorTag = "2.2.0";
    private const string AzuriteImage = "mcr.microsoft.com/azure-storage/azurite";
    private const string AzuriteTag = "3.35.0";

    /// <summary>
    /// The cloud store: in publish mode a secret connection string supplied at deployment; in run mode the Event
    /// Hubs emulator (with the Azurite it requires) when containers run; nothing otherwise (the gateway then keeps
    /// to its file sink).
    /// </summary>
    public static IResourceBuilder<IResourceWithConnectionString>? AddEdgeEventHubs(
        this IDistributedApplicationBuilder builder, string name, EdgeAppHostSettings settings, IReadOnlyList<EventHubDefinition> hubs)
    {
        if (builder.ExecutionContext.IsPublishMode)
        {
            return builder.AddConnectionString(name);
        }

        if (!settings.UseContainers)
        {
            return null;
        }

        var configDirectory = Path.Combine(settings.DataDirectory, name);
        Directory.CreateDirectory(configDirectory);
        var configFile = Path.Combine(configDirectory, "Config.json");
        File.WriteAllText(configFile, EmulatorConfig.Write(hubs));

        var storage = builder.AddContainer(name + "-storage", AzuriteImage, AzuriteTag)
            .WithEndpoint(targetPort: 10000, name: "blob", scheme: "http")
            .WithEndpoint(targetPort: 10001, name: "queue", scheme: "http")
            .WithEndpoint(targetPort: 10002, name: "table", scheme: "http");

        var emulator = builder.AddResource(new EventHubsEmulatorResource(name))
            .WithImage(EmulatorImage, EmulatorTag)
            .WithEndpoint(targetPort: 5672, name: EventHubsEmulatorResource.AmqpEndpointName, scheme: "amqp")
            .WithHttpEndpoint(targetPort: 5300, name: EventHubsEmulatorResource.HealthEndpointName)
            .WithHttpHealthCheck("/health", endpointName: EventHubsEmulatorResource.HealthEndpointName)
            .WithEnvironment("ACCEPT_EULA", "Y")
            .WithEnvironment("BLOB_SERVER", storage.Resource.Name)
            .WithEnvironment("METADATA_SERVER", storage.Resource.Name)
            .WithBindMount(configFile, "/Eventhubs_Emulator/ConfigFiles/Config.json", isReadOnly: true)
            .WaitFor(storage);
        return builder.CreateResourceBuilder<IResourceWithConnectionString>(emulator.Resource);
    }

    /// <summary>Adds an Event Hubs sink to the gateway and routes every event to it as well as to the file sink.</summary>
    public static IResourceBuilder<ProjectResource> WithEventHubsSink(
        this IResourceBuilder<ProjectResource> gateway, IResourceBuilder<IResourceWithConnectionString> eventHubs, string hub)
    {
        gateway.WithReference(eventHubs)
            .WithEnvironment("Gateway__Sinks__eventhubs__Type", "EventHubs")
            .WithEnvironment("Gateway__Sinks__eventhubs__ConnectionName", eventHubs.Resource.Name)
            .WithEnvironment("Gateway__Sinks__eventhubs__EventHubName", hub)
            .WithEnvironment("Gateway__Routes__0__Sinks__1", "eventhubs");
        return eventHubs.Resource is EventHubsEmulatorResource ? gateway.WaitFor(eventHubs) : gateway;
    }
}
