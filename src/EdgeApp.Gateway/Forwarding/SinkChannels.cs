using EdgeApp.Gateway.Sinks;
using EdgeApp.Spool;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Timeout;

namespace EdgeApp.Gateway.Forwarding;

/// <summary>Every configured sink behind its channel, created once at start.</summary>
public sealed class SinkChannels : IAsyncDisposable
{
    private readonly Dictionary<string, SinkChannel> channels;

    /// <param name="sinkOverride">Supplies a sink of its own for a name, or null to build it from configuration.</param>
    public SinkChannels(
        IServiceProvider services,
        IReadOnlyDictionary<string, SinkType> definitions,
        ResiliencePipelineProvider<string> pipelines,
        Func<string, IEventSink?>? sinkOverride = null)
    {
        var spoolOptions = services.GetRequiredService<IOptions<SpoolOptions>>().Value;
        var spoolMetrics = services.GetRequiredService<SpoolMetrics>();
        var loggers = services.GetRequiredService<ILoggerFactory>();
        var time = services.GetRequiredService<TimeProvider>();
        var fullSpoolWait = services.GetRequiredService<GatewayOptionsAccessor>().Value.FullSpoolWait;
        channels = definitions.ToDictionary(
            d => d.Key,
            d => new SinkChannel(
                sinkOverride?.Invoke(d.Key) ?? SinkFactory.Create(d.Key, d.Value, services),
                pipelines.GetPipeline(PipelineKey(d.Key)),
                DiskSpool.Open(d.Key, spoolOptions, spoolMetrics, loggers.CreateLogger<DiskSpool>()),
                fullSpoolWait,
                time,
                loggers.CreateLogger<SinkChannel>()),
            StringComparer.Ordinal);
    }

    public SinkChannel this[string name] => channels[name];

    public IEnumerable<SinkChannel> All => channels.Values;

    public static string PipelineKey(string sink) => "sink:" + sink;

    /// <summary>
    /// A sink that keeps failing is left alone for a while (its circuit opens) instead of being hammered while
    /// it is down; a write that hangs is given up after a timeout.
    /// </summary>
    public static void Configure(ResiliencePipelineBuilder builder)
    {
        builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = 0.5,
                MinimumThroughput = 2,
                SamplingDuration = TimeSpan.FromSeconds(30),
                BreakDuration = TimeSpan.FromSeconds(5),
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = TimeSpan.FromSeconds(60) });
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var channel in channels.Values)
        {
            await channel.DisposeAsync();
        }
    }
}
