using System.Collections.Concurrent;
using EdgeApp.Messaging;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace EdgeApp.Tests.Messaging;

/// <summary>A generic host running the messaging layer against a real broker, as a module would.</summary>
internal sealed class MessagingHost : IAsyncDisposable
{
    private readonly IHost host;

    private MessagingHost(IHost host) => this.host = host;

    public IEventPublisher Publisher => host.Services.GetRequiredService<IEventPublisher>();

    public IServiceProvider Services => host.Services;

    public static async Task<MessagingHost> StartAsync(
        string redisConnectionString,
        string appId,
        Dictionary<string, string?>? settings = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = redisConnectionString,
            ["Messaging:AppId"] = appId,
            ["Messaging:RedisStreams:ReadTimeout"] = "00:00:00.200",
        });
        if (settings is not null)
        {
            builder.Configuration.AddInMemoryCollection(settings);
        }

        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(5));
        builder.AddMessaging();
        configureServices?.Invoke(builder.Services);
        var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return new MessagingHost(host);
    }

    public async Task<HealthReport> CheckHealthAsync() =>
        await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync().WaitAsync(TimeSpan.FromSeconds(10));

    public async ValueTask DisposeAsync()
    {
        await host.StopAsync().WaitAsync(TimeSpan.FromSeconds(20));
        host.Dispose();
    }
}

/// <summary>Records what it receives and answers with whatever the test decides per event.</summary>
internal sealed class RecordingHandler(Func<ReceivedEvent, CancellationToken, Task<DeliveryStatus>> decide) : IEventHandler
{
    public RecordingHandler()
        : this((_, _) => Task.FromResult(DeliveryStatus.Success))
    {
    }

    public ConcurrentQueue<ReceivedEvent> Received { get; } = new();

    public async ValueTask<DeliveryStatus> HandleAsync(ReceivedEvent received, CancellationToken cancellationToken)
    {
        Received.Enqueue(received);
        return await decide(received, cancellationToken);
    }

    public static Action<IServiceCollection> Subscribe(RecordingHandler handler, string topic, string? deadLetterTopic = null) =>
        services =>
        {
            services.AddSingleton(handler);
            services.AddEventHandler<RecordingHandler>(topic, s => s.DeadLetterTopic = deadLetterTopic);
        };
}
