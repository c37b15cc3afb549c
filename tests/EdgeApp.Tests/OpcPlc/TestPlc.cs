using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Extensions;
using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcPlc.Simulation;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Transport;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>A built PLC (address space, no timers) that tests tick by hand, with in-memory OPC UA clients.</summary>
public sealed class TestPlc : IAsyncDisposable, IDisposable
{
    private TestPlc(OpcPlcOptions options)
    {
        Options = options;
        Plc = new PlcServer(options);
        Plc.Build();
    }

    public OpcPlcOptions Options { get; }

    public PlcServer Plc { get; }

    public ushort Ns => Plc.AddressSpace.Namespace;

    public ushort BoilerNs => Plc.AddressSpace.BoilerNamespace;

    public static DateTime Start { get; } = new(2026, 1, 2, 3, 4, 5, DateTimeKind.Utc);

    /// <summary>Loopback, a free port, a fixed seed; <paramref name="configure"/> changes the rest.</summary>
    public static OpcPlcOptions NewOptions(Action<OpcPlcOptions>? configure = null)
    {
        var options = new OpcPlcOptions { Port = 0, ListenOnAnyAddress = false, Hostname = "localhost", Seed = 1234 };
        configure?.Invoke(options);
        return options;
    }

    public static TestPlc Create(Action<OpcPlcOptions>? configure = null) => new(NewOptions(configure));

    public NodeId Id(string name) => new(name, Ns);

    public NodeId MethodsFolder => Id("Methods");

    /// <summary>Ticks a family <paramref name="times"/> times, one period apart from <see cref="Start"/>.</summary>
    public static void Tick(ISimulatedNodes family, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            family.Tick(Start + (family.Period * i));
        }
    }

    public async Task<OpcUaClient> ConnectAsync()
    {
        var (client, server) = Connectors.CreateInMemoryPair();
        _ = Plc.Server.AcceptAsync(server);
        return await OpcUaClient.ConnectAsync(client, "opc.tcp://memory:50000/", new ClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });
    }

    public ValueTask DisposeAsync() => Plc.DisposeAsync();

    public void Dispose() => Plc.DisposeAsync().AsTask().GetAwaiter().GetResult();
}

/// <summary>The whole app as Program.cs composes it, on free ports: HTTP (health, pn.json) and opc.tcp.</summary>
public sealed class PlcApp : IAsyncDisposable
{
    private PlcApp(WebApplication app)
    {
        App = app;
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(10) };
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public PlcServer Plc => App.Services.GetRequiredService<PlcServer>();

    /// <summary>Starts the app with OPC PLC flags (plus <c>--pn=0</c> and loopback unless given) and waits until it listens.</summary>
    public static async Task<PlcApp> StartAsync(params string[] args)
    {
        var commandLine = PlcCommandLine.Parse(["--pn=0", "--ph=localhost", "--OpcPlc:ListenOnAnyAddress=false", .. args]);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. commandLine.HostArgs], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddOpcPlc(commandLine);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapOpcPlcEndpoints();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var plc = new PlcApp(app);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!plc.Plc.IsListening)
        {
            if (DateTime.UtcNow > deadline)
            {
                await plc.DisposeAsync();
                throw new TimeoutException("The PLC did not start listening within 30 s.");
            }

            await Task.Delay(20);
        }

        return plc;
    }

    public async Task<OpcUaClient> ConnectAsync() =>
        await OpcUaClient.ConnectAsync($"opc.tcp://127.0.0.1:{Plc.Server.Port}/", new ClientOptions
        {
            RequestTimeout = TimeSpan.FromSeconds(10),
            ConnectTimeout = TimeSpan.FromSeconds(10),
        });

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(15));
        await App.DisposeAsync();
    }
}
