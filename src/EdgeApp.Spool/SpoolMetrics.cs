using System.Diagnostics.Metrics;

namespace EdgeApp.Spool;

/// <summary>
/// The spools' instruments, on the meter "EdgeApp.Spool", each measurement tagged <c>spool</c> = the
/// spool's name. Gauges are observed from every open spool; one instance serves all spools of a process.
/// </summary>
public sealed class SpoolMetrics
{
    public const string MeterName = "EdgeApp.Spool";
    public const string SpoolTag = "spool";

    private readonly Lock sync = new();
    private readonly List<DiskSpool> open = [];
    private readonly TimeProvider time;

    public SpoolMetrics(IMeterFactory meterFactory, TimeProvider? timeProvider = null)
    {
        time = timeProvider ?? TimeProvider.System;
        var meter = meterFactory.Create(MeterName);
        meter.CreateObservableGauge("edgeapp.spool.depth", () => Observe(s => s.Count), "{record}", "Records waiting in the spool.");
        meter.CreateObservableGauge("edgeapp.spool.bytes", () => Observe(s => s.Bytes), "By", "Framed bytes of the records waiting in the spool.");
        meter.CreateObservableGauge("edgeapp.spool.oldest_age", ObserveOldestAge, "s", "Age of the oldest record waiting in the spool; 0 when empty.");
        Appended = meter.CreateCounter<long>("edgeapp.spool.appended", "{record}", "Records made durable in the spool.");
        Drained = meter.CreateCounter<long>("edgeapp.spool.drained", "{record}", "Records committed as delivered and removed from the spool.");
        Dropped = meter.CreateCounter<long>("edgeapp.spool.dropped", "{record}", "Records removed unsent to make room (overflow policy DropOldest).");
        Corrupt = meter.CreateCounter<long>("edgeapp.spool.corrupt", "{record}", "Damaged records or stretches skipped on open or while draining.");
    }

    internal Counter<long> Appended { get; }

    internal Counter<long> Drained { get; }

    internal Counter<long> Dropped { get; }

    internal Counter<long> Corrupt { get; }

    internal void Register(DiskSpool spool)
    {
        lock (sync)
        {
            open.Add(spool);
        }
    }

    internal void Unregister(DiskSpool spool)
    {
        lock (sync)
        {
            open.Remove(spool);
        }
    }

    private List<Measurement<long>> Observe(Func<DiskSpool, long> value)
    {
        lock (sync)
        {
            return open.Select(s => new Measurement<long>(value(s), s.Tag)).ToList();
        }
    }

    private List<Measurement<double>> ObserveOldestAge()
    {
        var now = time.GetUtcNow();
        lock (sync)
        {
            return open.Select(s => new Measurement<double>(
                s.OldestEnqueuedAt is { } oldest ? Math.Max(0, (now - oldest).TotalSeconds) : 0, s.Tag)).ToList();
        }
    }
}
