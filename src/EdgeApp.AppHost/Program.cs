using EdgeApp.AppHost.Dapr;
using EdgeApp.AppHost.Hosting;
using EdgeApp.AppHost.Redis;

var builder = DistributedApplication.CreateBuilder(args);
var settings = EdgeAppHostSettings.From(builder);

// Broker and pub/sub
var redis = builder.AddEdgeRedis("redis", settings);
var pubsub = builder.AddDaprPubSub("pubsub", redis, settings, maxLenApprox: 1_000_000);

// Modules
builder.AddProject<Projects.EdgeApp_Gateway>("gateway")
    .WithMessaging(pubsub)
    .WithEnvironment("FileSink__Directory", settings.DataPath("gateway/sink"))
    .WithHttpHealthCheck("/health");

builder.AddProject<Projects.EdgeApp_Sensor>("sensor")
    .WithMessaging(pubsub)
    .WithEnvironment("Sensor__MachineCount", builder.Configuration["EdgeApp:Sensor:MachineCount"] ?? "3")
    .WithEnvironment("Sensor__IntervalMs", builder.Configuration["EdgeApp:Sensor:IntervalMs"] ?? "1000")
    .WithHttpHealthCheck("/health");

builder.Build().Run();
