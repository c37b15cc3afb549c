using EdgeApp.AppHost.Dapr;
using EdgeApp.AppHost.EventHubs;
using EdgeApp.AppHost.Hosting;
using EdgeApp.AppHost.OpcPlc;
using EdgeApp.AppHost.OpcPublisher;
using EdgeApp.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);
var settings = EdgeAppHostSettings.From(builder);

// Broker and pub/sub
var redis = builder.AddEdgeRedis("redis", settings);
var pubsub = builder.AddDaprPubSub("pubsub", redis, settings, maxLenApprox: 1_000_000);

// Cloud store: Event Hubs (the emulator locally when containers run, a secret connection string when deployed)
var eventHubs = builder.AddEdgeEventHubs("eventhubs", settings, [new EventHubDefinition("telemetry", PartitionCount: 4, ["gateway-readers"])]);

// Modules
var gateway = builder.AddProject<Projects.EdgeApp_Gateway>("gateway")
    .WithMessaging(pubsub)
    .WithEnvironment("Gateway__Sinks__file__Directory", settings.DataPath("gateway/sink"))
    .WithEnvironment("Gateway__Sinks__deadletter__Directory", settings.DataPath("gateway/deadletter"))
    .WithEnvironment("Spool__Directory", settings.DataPath("gateway/spool"))
    .WithHttpHealthCheck("/health");
if (eventHubs is not null)
{
    gateway.WithEventHubsSink(eventHubs, hub: "telemetry");
}

// OPC UA PLC simulator (OPC PLC's nodes and options): opc.tcp, health, /pn.json
var plc = builder.AddOpcPlc("opc-plc", settings);

// OPC Publisher-compatible publisher: the PLC's pn.json (or EdgeApp:OpcPublisher:PublishedNodesFile) -> telemetry
builder.AddOpcPublisher("opc-publisher", settings, plc)
    .WithMessaging(pubsub);

builder.AddProject<Projects.EdgeApp_Sensor>("sensor")
    .WithMessaging(pubsub)
    .WithEnvironment("Sensor__MachineCount", builder.Configuration["EdgeApp:Sensor:MachineCount"] ?? "3")
    .WithEnvironment("Sensor__IntervalMs", builder.Configuration["EdgeApp:Sensor:IntervalMs"] ?? "1000")
    .WithHttpHealthCheck("/health");

builder.Build().Run();
