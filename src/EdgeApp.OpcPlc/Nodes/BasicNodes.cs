using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>
/// <c>Telemetry/Basic</c>: StepUp (UInt32, +1 per cycle while started, writable), AlternatingBoolean (toggles once per
/// phase of <c>--sc</c> cycles), RandomSignedInt32 and RandomUnsignedInt32 (new each cycle); methods ResetStepUp,
/// StartStepUp and StopStepUp. Off with <c>--nv</c>.
/// </summary>
public sealed class BasicNodes : ISimulatedNodes
{
    private readonly Lock _gate = new();
    private readonly Random _random;
    private readonly int _cycleCount;
    private readonly int _stepUpDivisor;
    private int _stepUpCycleInPhase;
    private int _booleanCycleInPhase;
    private bool _stepUpStarted = true;

    public BasicNodes(PlcAddressSpace space, OpcPlcOptions options, Random random)
    {
        _random = random;
        _cycleCount = options.SimulationCycleCount;
        // StepUp counts 50 steps per phase: every cycle with the default 50 cycles, every 2nd with 100.
        _stepUpDivisor = Math.Max(1, _cycleCount / 50);
        _stepUpCycleInPhase = _cycleCount;
        _booleanCycleInPhase = _cycleCount;
        Period = TimeSpan.FromMilliseconds(options.CycleTimeMs);

        var folder = space.Folder(space.Telemetry, "Basic");
        StepUp = space.Variable(folder, "StepUp", 0u, AccessLevel.CurrentRead | AccessLevel.CurrentWrite, "Constantly increasing value");
        AlternatingBoolean = space.Variable(folder, "AlternatingBoolean", false, AccessLevel.CurrentRead, "Alternating boolean value");
        RandomSignedInt32 = space.Variable(folder, "RandomSignedInt32", 0, AccessLevel.CurrentRead, "Random signed 32 bit integer value");
        RandomUnsignedInt32 = space.Variable(folder, "RandomUnsignedInt32", 0u, AccessLevel.CurrentRead, "Random unsigned 32 bit integer value");

        space.Method("ResetStepUp", "Resets the StepUp counter to 0", ResetStepUp);
        space.Method("StartStepUp", "Starts the StepUp counter", () => SetStepUpStarted(true));
        space.Method("StopStepUp", "Stops the StepUp counter", () => SetStepUpStarted(false));

        PublishedNodes = [.. new VariableNode[] { StepUp, AlternatingBoolean, RandomSignedInt32, RandomUnsignedInt32 }
            .Select(n => new PublishedNode(space.ExpandedId(n.NodeId)))];
    }

    public string Name => "cycle";

    public TimeSpan Period { get; }

    public VariableNode<uint> StepUp { get; }

    public VariableNode<bool> AlternatingBoolean { get; }

    public VariableNode<int> RandomSignedInt32 { get; }

    public VariableNode<uint> RandomUnsignedInt32 { get; }

    public IReadOnlyList<PublishedNode> PublishedNodes { get; }

    public bool IsStepUpStarted
    {
        get
        {
            lock (_gate)
            {
                return _stepUpStarted;
            }
        }
    }

    public void Tick(DateTime now)
    {
        lock (_gate)
        {
            if (_stepUpStarted && _stepUpCycleInPhase % _stepUpDivisor == 0)
            {
                // Continue from the current value: clients may have written StepUp.
                var current = StepUp.ReadValue().Value;
                var next = current.Type == EdgeApp.OpcUa.Encoding.BuiltInType.UInt32 && !current.IsArray ? current.Get<uint>() + 1 : 0u;
                StepUp.Set(next, default, now);
            }

            if (--_stepUpCycleInPhase == 0)
            {
                _stepUpCycleInPhase = _cycleCount;
            }

            if (_booleanCycleInPhase % _cycleCount == 0)
            {
                AlternatingBoolean.Set(!AlternatingBoolean.ReadValue().Value.Get<bool>(), default, now);
            }

            if (--_booleanCycleInPhase == 0)
            {
                _booleanCycleInPhase = _cycleCount;
            }

            RandomSignedInt32.Set(unchecked((int)(uint)_random.NextInt64(0, 1L << 32)), default, now);
            RandomUnsignedInt32.Set((uint)_random.NextInt64(0, 1L << 32), default, now);
        }
    }

    private void ResetStepUp()
    {
        lock (_gate)
        {
            StepUp.Value = 0;
        }
    }

    private void SetStepUpStarted(bool started)
    {
        lock (_gate)
        {
            _stepUpStarted = started;
        }
    }
}
