using EdgeApp.Messaging;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Extensions;

var commandLine = PublisherCommandLine.Parse(args);
var builder = WebApplication.CreateBuilder([.. commandLine.HostArgs]);
builder.AddServiceDefaults();
builder.AddMessaging();
builder.AddOpcPublisher(commandLine);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMessagingEndpoints();
app.MapOpcPublisherEndpoints();
app.Run();
