using System.Text;
using System.Text.Json;
using EdgeApp.Gateway;
using EdgeApp.Gateway.Extensions;
using EdgeApp.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeApp.Tests.Gateway;

/// <summary>The gateway's services built from configuration, as the module builds them, without a broker.</summary>
internal sealed class GatewayTestHost : IAsyncDisposable
{
    private readonly IHost host;

    public GatewayTestHost(Dictionary<string, string?> settings, Action<IServiceCollection>? configure = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddGateway();
        configure?.Invoke(builder.Services);
        host = builder.Build();
    }

    public IServiceProvider Services => host.Services;

    public GatewayHandler Handler => host.Services.GetRequiredService<GatewayHandler>();

    public static Dictionary<string, string?> FileSinks(string root, params string[] names)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Gateway:Topics:0"] = "telemetry",
            ["Gateway:DeadLetterSink"] = "deadletter",
            ["Gateway:Sinks:deadletter:Type"] = "File",
            ["Gateway:Sinks:deadletter:Directory"] = Path.Combine(root, "deadletter"),
            ["Spool:Directory"] = Path.Combine(root, "spool"),
        };
        foreach (var name in names)
        {
            settings[$"Gateway:Sinks:{name}:Type"] = "File";
            settings[$"Gateway:Sinks:{name}:Directory"] = Path.Combine(root, name);
        }

        return settings;
    }

    public static ReceivedEvent Event(string id, string topic = "telemetry", string source = "sensor", string type = "com.dapr.event.sent", string? subject = null)
    {
        var subjectMember = subject is null ? string.Empty : $",\"subject\":\"{subject}\"";
        var json = $"{{\"data\":{{\"v\":1}},\"id\":\"{id}\",\"source\":\"{source}\",\"specversion\":\"1.0\"{subjectMember},\"time\":\"2026-11-30T10:00:00Z\",\"topic\":\"{topic}\",\"type\":\"{type}\"}}";
        return new ReceivedEvent(CloudEventReader.Parse(Encoding.UTF8.GetBytes(json)), topic, "1-0", 1);
    }

    public static List<JsonElement> ReadLines(string directory) =>
        !Directory.Exists(directory)
            ? []
            : Directory.GetFiles(directory, "*.jsonl").Order()
                .SelectMany(File.ReadAllLines)
                .Select(line => JsonDocument.Parse(line).RootElement.Clone())
                .ToList();

    public GatewayChannels Channels => new(host.Services.GetRequiredService<EdgeApp.Gateway.Forwarding.SinkChannels>());

    /// <summary>Runs the hosted services too (the spool drainer).</summary>
    public Task StartAsync() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        if (host is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
    }
}

/// <summary>Read access to the channels' spools for assertions.</summary>
internal readonly record struct GatewayChannels(EdgeApp.Gateway.Forwarding.SinkChannels Channels)
{
    public long Spooled(string sink) => Channels[sink].Spool.Count;

    public bool IsSpooling(string sink) => Channels[sink].IsSpooling;
}
