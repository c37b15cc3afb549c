using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Extensions;

var commandLine = PlcCommandLine.Parse(args);
if (commandLine.HelpRequested)
{
    Console.WriteLine(PlcCommandLine.Usage());
    return;
}

var builder = WebApplication.CreateBuilder([.. commandLine.HostArgs]);
builder.AddServiceDefaults();
builder.AddOpcPlc(commandLine);

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapOpcPlcEndpoints();
app.Run();
