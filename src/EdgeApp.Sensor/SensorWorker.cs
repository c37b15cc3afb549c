using System.Diagnostics;
using System.Diagnostics.Metrics;
using EdgeApp.Messaging;
using EdgeApp.Sensor.Simulation;
using Microsoft.Extensions.Options;

namespace EdgeApp.Sensor;

/// <summary>
/// Publishes one reading per machine every interval, as one batch. Readings the broker did not take are kept
/// (up to <see cref="SensorOptions.MaxBacklog"/>) and sent first next time, with their original ids.
/// </summary>
public sealed partial class SensorWorker(
    IEventPublisher publisher,
    IOptions<SensorOptions> options,
    SensorMetrics metrics,
    TimeProvider time,
    ILogger<SensorWorker> logger) : BackgroundService
{
    public static readonly ActivitySource ActivitySource = new("EdgeApp.Sensor");

    /// <summary>Readings per publish request: well under the Dapr sidecar's 4 MB body limit and a short Redis script.</summary>
    private const int MaxChunk = 1000;

    private readonly LinkedList<OutgoingEvent> backlog = new();

    /// <summary>Null while publishing works; the last failure otherwise. Read by the readiness check.</summary>
    public string? LastFailure { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var settings = options.Value;
        var random = settings.Seed is { } seed ? new Random(seed) : new Random();
        var machines = Enumerable.Range(1, settings.MachineCount)
            .Select(i => new MachineSimulator($"machine-{i:D2}", random))
            .ToArray();
        LogStarting(settings.MachineCount, settings.IntervalMs, settings.Topic);

        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(settings.IntervalMs), time);
        do
        {
            using var activity = ActivitySource.StartActivity("sensor reading");
            var now = time.GetUtcNow();
            foreach (var machine in machines)
            {
                var reading = machine.Next(now);
                backlog.AddLast(EventPublisherExtensions.Json(
                    reading, SensorJsonContext.Default.TelemetryMessage, subject: machine.MachineId, id: Guid.NewGuid().ToString()) with { Time = now });
            }

            TrimBacklog(settings.MaxBacklog);
            await PublishBacklogAsync(settings.Topic, stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <summary>
    /// Sends the backlog oldest first in bounded chunks, removing each once the broker has it, so a long outage's
    /// backlog neither becomes one oversized request nor is sent again whole after a partial success.
    /// </summary>
    private async Task PublishBacklogAsync(string topic, CancellationToken stoppingToken)
    {
        while (backlog.Count > 0)
        {
            var chunk = backlog.Take(MaxChunk).ToList();
            try
            {
                await publisher.PublishBatchAsync(topic, chunk, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                LastFailure = ex.Message;
                LogPublishFailed(backlog.Count, ex.Message);
                return;
            }

            for (var i = 0; i < chunk.Count; i++)
            {
                backlog.RemoveFirst();
            }

            metrics.Published.Add(chunk.Count);
            LastFailure = null;
        }
    }

    private void TrimBacklog(int maxBacklog)
    {
        var dropped = 0;
        while (backlog.Count > Math.Max(maxBacklog, options.Value.MachineCount))
        {
            backlog.RemoveFirst();
            dropped++;
        }

        if (dropped > 0)
        {
            metrics.Dropped.Add(dropped);
            LogBacklogFull(dropped);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Simulating {Machines} machines every {IntervalMs} ms on topic {Topic}")]
    private partial void LogStarting(int machines, int intervalMs, string topic);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} readings failed; keeping them for the next interval: {Problem}")]
    private partial void LogPublishFailed(int count, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Backlog full: dropped the {Count} oldest readings")]
    private partial void LogBacklogFull(int count);
}

public sealed class SensorMetrics
{
    public SensorMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("EdgeApp.Sensor");
        Published = meter.CreateCounter<long>("edgeapp.sensor.published", "{reading}", "Readings accepted by the broker.");
        Dropped = meter.CreateCounter<long>("edgeapp.sensor.dropped", "{reading}", "Readings dropped because the backlog was full.");
    }

    public Counter<long> Published { get; }

    public Counter<long> Dropped { get; }
}
