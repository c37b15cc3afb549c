using EdgeApp.Gateway.Extensions;
using EdgeApp.Messaging;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMessaging();
builder.AddGateway();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMessagingEndpoints();
app.Run();
