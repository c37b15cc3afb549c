namespace EdgeApp.AppHost.EventHubs;

/// <summary>
/// The Azure Event Hubs emulator container (AMQP on 5672, health on 5300). Its connection string is the
/// emulator's well-known one, pointed at the allocated AMQP endpoint.
/// </summary>
public sealed class EventHubsEmulatorResource(string name) : ContainerResource(name), IResourceWithConnectionString
{
    internal const string AmqpEndpointName = "emulator";
    internal const string HealthEndpointName = "emulatorhealth";

    public EndpointReference AmqpEndpoint => new(this, AmqpEndpointName);

    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"Endpoint=sb://{AmqpEndpoint.Property(EndpointProperty.Host)}:{AmqpEndpoint.Property(EndpointProperty.Port)};SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=SAS_KEY_VALUE;UseDevelopmentEmulator=true");
}
