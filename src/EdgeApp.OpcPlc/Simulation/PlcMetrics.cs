using System.Diagnostics.Metrics;

namespace EdgeApp.OpcPlc.Simulation;

/// <summary>How long the update ticks take: a tick close to its period means the PLC cannot keep its rate.</summary>
public sealed class PlcMetrics
{
    private readonly Histogram<double> _tickDuration;

    public PlcMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create("EdgeApp.OpcPlc");
        _tickDuration = meter.CreateHistogram<double>("edgeapp.opcplc.tick.duration", "ms", "Time to update every node of one rate group.");
    }

    public void RecordTick(TimeSpan period, TimeSpan duration) =>
        _tickDuration.Record(duration.TotalMilliseconds, new KeyValuePair<string, object?>("period_ms", (int)period.TotalMilliseconds));
}
