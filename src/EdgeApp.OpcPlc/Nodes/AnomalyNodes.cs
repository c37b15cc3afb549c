using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>
/// <c>Telemetry/Anomaly</c>, one Double each, updated every cycle:
/// SpikeData and DipData follow <c>100·sin(2π·c/N)</c> over a phase of N = <c>--sc</c> cycles, with one spike to
/// +1000 (or dip to -1000) at a random cycle of every phase; PositiveTrendData and NegativeTrendData stay at 100 until a
/// random phase (0-9), then move by 0.1 per phase up or down. ResetTrend (and ResetPosTrend/ResetNegTrend) restarts the
/// trends. Each is switched off by its flag (<c>--ns --nd --np --nn</c>).
/// </summary>
public sealed class AnomalyNodes : ISimulatedNodes
{
    public const double Amplitude = 100.0;
    public const double TrendBase = 100.0;

    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly int _cycleCount;
    private readonly Wave? _spike;
    private readonly Wave? _dip;
    private readonly Trend? _positive;
    private readonly Trend? _negative;

    public AnomalyNodes(PlcAddressSpace space, OpcPlcOptions options, Random random)
    {
        _random = random;
        _cycleCount = options.SimulationCycleCount;
        Period = TimeSpan.FromMilliseconds(options.CycleTimeMs);
        var folder = space.Folder(space.Telemetry, "Anomaly");
        var published = new List<PublishedNode>();

        if (options.Spikes)
        {
            SpikeData = space.Variable(folder, "SpikeData", 0.0, AccessLevel.CurrentRead, "Value with random spikes");
            _spike = new Wave(SpikeData, Amplitude * 10, _cycleCount, NextAnomalyCycle());
            published.Add(new PublishedNode(space.ExpandedId(SpikeData.NodeId)));
        }

        if (options.Dips)
        {
            DipData = space.Variable(folder, "DipData", 0.0, AccessLevel.CurrentRead, "Value with random dips");
            _dip = new Wave(DipData, -Amplitude * 10, _cycleCount, NextAnomalyCycle());
            published.Add(new PublishedNode(space.ExpandedId(DipData.NodeId)));
        }

        if (options.PositiveTrend)
        {
            PositiveTrendData = space.Variable(folder, "PositiveTrendData", TrendBase, AccessLevel.CurrentRead, "Value with a slow positive trend");
            _positive = new Trend(PositiveTrendData, +1, _cycleCount, NextAnomalyPhase());
            space.Method("ResetPosTrend", "Reset the positive trend value to its baseline", () => Reset(_positive));
            published.Add(new PublishedNode(space.ExpandedId(PositiveTrendData.NodeId)));
        }

        if (options.NegativeTrend)
        {
            NegativeTrendData = space.Variable(folder, "NegativeTrendData", TrendBase, AccessLevel.CurrentRead, "Value with a slow negative trend");
            _negative = new Trend(NegativeTrendData, -1, _cycleCount, NextAnomalyPhase());
            space.Method("ResetNegTrend", "Reset the negative trend value to its baseline", () => Reset(_negative));
            published.Add(new PublishedNode(space.ExpandedId(NegativeTrendData.NodeId)));
        }

        if (_positive is not null || _negative is not null)
        {
            space.Method("ResetTrend", "Reset the trend values to their baseline value", () =>
            {
                Reset(_positive);
                Reset(_negative);
            });
        }

        PublishedNodes = published;
    }

    public string Name => "cycle";

    public TimeSpan Period { get; }

    public VariableNode<double>? SpikeData { get; }

    public VariableNode<double>? DipData { get; }

    public VariableNode<double>? PositiveTrendData { get; }

    public VariableNode<double>? NegativeTrendData { get; }

    public IReadOnlyList<PublishedNode> PublishedNodes { get; }

    /// <summary>True when every anomaly node is switched off.</summary>
    public bool IsEmpty => PublishedNodes.Count == 0;

    /// <summary>The cycle (counting down from N to 1) of the current phase that carries the spike; for tests.</summary>
    internal int? SpikeCycle => _spike?.AnomalyCycle;

    public void Tick(DateTime now)
    {
        lock (_gate)
        {
            Step(_spike, now);
            Step(_dip, now);
            Step(_positive, now);
            Step(_negative, now);
        }
    }

    private void Step(Wave? wave, DateTime now)
    {
        if (wave is null)
        {
            return;
        }

        var value = wave.CycleInPhase == wave.AnomalyCycle
            ? wave.AnomalyValue
            : Amplitude * Math.Sin(2 * Math.PI / _cycleCount * wave.CycleInPhase);
        wave.Node.Set(value, default, now);
        if (--wave.CycleInPhase == 0)
        {
            wave.CycleInPhase = _cycleCount;
            wave.AnomalyCycle = NextAnomalyCycle();
        }
    }

    private void Step(Trend? trend, DateTime now)
    {
        if (trend is null)
        {
            return;
        }

        var value = trend.Phase >= trend.AnomalyPhase
            ? TrendBase + trend.Direction * ((trend.Phase - trend.AnomalyPhase) / 10d)
            : TrendBase;
        trend.Node.Set(value, default, now);
        if (--trend.CycleInPhase == 0)
        {
            trend.CycleInPhase = _cycleCount;
            trend.Phase++;
        }
    }

    private void Reset(Trend? trend)
    {
        if (trend is null)
        {
            return;
        }

        lock (_gate)
        {
            trend.Phase = 0;
            trend.CycleInPhase = _cycleCount;
            trend.AnomalyPhase = NextAnomalyPhase();
            trend.Node.Value = TrendBase;
        }
    }

    // One anomaly per phase: a cycle between N and 1 (the cycles a phase counts down through).
    private int NextAnomalyCycle() => _random.Next(1, _cycleCount + 1);

    private int NextAnomalyPhase() => _random.Next(10);

    private sealed class Wave(VariableNode<double> node, double anomalyValue, int cycleCount, int anomalyCycle)
    {
        public VariableNode<double> Node { get; } = node;

        public double AnomalyValue { get; } = anomalyValue;

        public int CycleInPhase { get; set; } = cycleCount;

        public int AnomalyCycle { get; set; } = anomalyCycle;
    }

    private sealed class Trend(VariableNode<double> node, int direction, int cycleCount, int anomalyPhase)
    {
        public VariableNode<double> Node { get; } = node;

        public int Direction { get; } = direction;

        public int CycleInPhase { get; set; } = cycleCount;

        public int Phase { get; set; }

        public int AnomalyPhase { get; set; } = anomalyPhase;
    }
}
