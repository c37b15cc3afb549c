using EdgeApp.Messaging;
using EdgeApp.Sensor.Extensions;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddMessaging();
builder.AddSensor();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapMessagingEndpoints();
app.Run();
