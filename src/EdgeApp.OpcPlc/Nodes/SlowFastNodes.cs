using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;
using StatusCodes = EdgeApp.OpcUa.Encoding.StatusCodes;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>
/// The slow or fast node set: <c>Telemetry/Slow/Slow{Type}{n}</c> (or Fast), n = 1..<c>--sn</c>, plus
/// <c>BadSlow{Type}1</c> whose status cycles good / uncertain / bad; <c>SimulatorConfiguration/SlowNumberOfUpdates</c>
/// caps the updates (&lt;0 forever, 0 none, &gt;0 that many more); methods StopUpdateSlowNodes / StartUpdateSlowNodes.
/// One timer ticks the whole set; a tick reads and writes each node once and allocates nothing for scalar types.
/// </summary>
public sealed class SlowFastNodes : ISimulatedNodes
{
    // Declared before the sequence: static fields initialise in order.
    public static readonly StatusCode UncertainLastUsableValue = new(0x4090_0000);
    public static readonly StatusCode BadDataLost = new(0x809D_0000);
    public static readonly StatusCode BadNoCommunication = new(0x8031_0000);

    /// <summary>The status of the Bad node on successive updates (OPC PLC's sequence); false = no value with it.</summary>
    public static readonly (StatusCode Status, bool HasValue)[] BadStatusSequence =
    [
        (StatusCodes.Good, true),
        (StatusCodes.Good, true),
        (StatusCodes.Good, true),
        (UncertainLastUsableValue, true),
        (StatusCodes.Good, true),
        (StatusCodes.Good, true),
        (StatusCodes.Good, true),
        (UncertainLastUsableValue, true),
        (BadDataLost, true),
        (BadNoCommunication, false),
    ];

    private const int ArrayLength = 32;

    private readonly PlcAddressSpace _space;
    private readonly RateGroupOptions _options;
    private readonly Random _random;
    private readonly uint _uintMin;
    private readonly uint _uintMax;
    private readonly uint _uintStep;
    private readonly double _doubleMin;
    private readonly double _doubleMax;
    private volatile bool _updating = true;
    private int _badCycle;
    private Variant _badLastValue;

    public SlowFastNodes(PlcAddressSpace space, string kind, RateGroupOptions options, Random random)
    {
        _space = space;
        _options = options;
        _random = random;
        Kind = kind;
        Type = options.Type;
        Period = TimeSpan.FromMilliseconds(options.RateMs);
        _doubleMin = options.EffectiveLowerBound;
        _doubleMax = options.EffectiveUpperBound;
        if (Type == SlowFastType.UInt)
        {
            _uintMin = (uint)_doubleMin;
            _uintMax = (uint)_doubleMax;
            _uintStep = (uint)options.StepSize;
        }

        var folder = space.Folder(space.Telemetry, kind);
        Nodes = new VariableNode[options.Count];
        for (var i = 0; i < Nodes.Length; i++)
        {
            Nodes[i] = AddNode(folder, $"{kind}{Type}{i + 1}");
        }

        // OPC PLC always adds one Bad node, even with no regular nodes.
        BadNode = AddNode(folder, $"Bad{kind}{Type}1");
        _badLastValue = BadNode.ReadValue().Value;

        NumberOfUpdates = space.Variable(space.SimulatorConfiguration, $"{kind}NumberOfUpdates", -1,
            AccessLevel.CurrentRead | AccessLevel.CurrentWrite,
            $"The number of times to update the {kind} nodes. Set to -1 to update indefinitely.");

        // The count lives in one field that ticks decrement atomically; a client write replaces it and is never lost to
        // a tick that read the old count (reads show the field).
        NumberOfUpdates.OnWrite = (VariableNode _, in DataValue value) =>
        {
            if (value.Value.Type != BuiltInType.Int32 || value.Value.IsArray)
            {
                return StatusCodes.BadTypeMismatch;
            }

            Interlocked.Exchange(ref _remainingUpdates, value.Value.Get<int>());
            return StatusCodes.Good;
        };
        NumberOfUpdates.ValueSource = () => new DataValue(new Variant(Volatile.Read(ref _remainingUpdates)), StatusCodes.Good, default, DateTime.UtcNow);
        space.Method($"StopUpdate{kind}Nodes", $"Stop the increase of value of {kind.ToLowerInvariant()} nodes", () => _updating = false);
        space.Method($"StartUpdate{kind}Nodes", $"Start the increase of value of {kind.ToLowerInvariant()} nodes", () => _updating = true);
    }

    /// <summary>"Slow" or "Fast".</summary>
    public string Kind { get; }

    public string Name => Kind.ToLowerInvariant();

    public SlowFastType Type { get; }

    public TimeSpan Period { get; }

    public VariableNode[] Nodes { get; }

    public VariableNode BadNode { get; }

    public VariableNode<int> NumberOfUpdates { get; }

    private int _remainingUpdates = -1;

    public bool IsUpdating => _updating;

    /// <summary>The pn.json entries: every node and the Bad node, with the rate as publishing interval.</summary>
    public IEnumerable<PublishedNode> PublishedNodes()
    {
        foreach (var node in Nodes.Append(BadNode))
        {
            yield return new PublishedNode(_space.ExpandedId(node.NodeId), _options.RateMs, _options.SamplingIntervalMs);
        }
    }

    public void Tick(DateTime now)
    {
        if (!_updating || !TakeUpdate())
        {
            return;
        }

        switch (Type)
        {
            case SlowFastType.UInt:
                foreach (var node in Nodes)
                {
                    node.SetValue(new Variant(NextUInt(node.ReadValue().Value)), default, now);
                }

                break;
            case SlowFastType.Double:
                foreach (var node in Nodes)
                {
                    node.SetValue(new Variant(NextDouble(node.ReadValue().Value)), default, now);
                }

                break;
            case SlowFastType.Bool:
                foreach (var node in Nodes)
                {
                    node.SetValue(new Variant(NextBool(node.ReadValue().Value)), default, now);
                }

                break;
            default:
                foreach (var node in Nodes)
                {
                    // Arrays are values: readers (and queued notifications) keep the one they got, so each update is a new array.
                    node.SetValue(NextArray(node.ReadValue().Value), default, now);
                }

                break;
        }

        UpdateBadNode(now);
    }

    private bool TakeUpdate()
    {
        while (true)
        {
            var count = Volatile.Read(ref _remainingUpdates);
            if (count == 0)
            {
                return false;
            }

            if (count < 0 || Interlocked.CompareExchange(ref _remainingUpdates, count - 1, count) == count)
            {
                return true;
            }
        }
    }

    private void UpdateBadNode(DateTime now)
    {
        var (status, hasValue) = BadStatusSequence[_badCycle];
        _badCycle = (_badCycle + 1) % BadStatusSequence.Length;
        var current = BadNode.ReadValue().Value;
        if (current.IsNull)
        {
            current = _badLastValue;
        }

        var next = Type switch
        {
            SlowFastType.UInt => new Variant(NextUInt(current)),
            SlowFastType.Double => new Variant(NextDouble(current)),
            SlowFastType.Bool => new Variant(NextBool(current)),
            _ => NextArray(current),
        };
        _badLastValue = next;
        BadNode.SetValue(hasValue ? next : Variant.Null, status, now);
    }

    private VariableNode AddNode(ObjectNode folder, string name)
    {
        var access = AccessLevel.CurrentRead | AccessLevel.CurrentWrite;
        const string description = "Constantly increasing value(s)";
        VariableNode node = Type switch
        {
            SlowFastType.UInt => _space.Variable(folder, name, _uintMin, access, description),
            SlowFastType.Double => _space.Variable(folder, name, _doubleMin, access, description),
            SlowFastType.Bool => _space.Variable(folder, name, true, access, description),
            _ => _space.Variable(folder, name, new uint[ArrayLength], access, description),
        };
        if (Type == SlowFastType.UIntArray)
        {
            node.ArrayDimensions = [ArrayLength];
        }

        return node;
    }

    private uint NextUInt(in Variant current)
    {
        var value = current.Type == BuiltInType.UInt32 && !current.IsArray ? current.Get<uint>() : _uintMin;
        if (_options.Randomize)
        {
            uint next;
            var attempts = 0;
            do
            {
                next = (uint)(_uintMin + _random.NextInt64(0, (long)_uintMax - _uintMin + 1));
            }
            while (next == value && ++attempts < 8);
            return next;
        }

        if (value < _uintMin || value > _uintMax)
        {
            return _uintMin;
        }

        var stepped = (ulong)value + _uintStep;
        return stepped > _uintMax ? _uintMin : (uint)stepped;
    }

    private double NextDouble(in Variant current)
    {
        var value = current.Type == BuiltInType.Double && !current.IsArray ? current.Get<double>() : double.NaN;
        if (_options.Randomize)
        {
            double next;
            var attempts = 0;
            do
            {
                var r = _random.NextDouble();
                next = (r * _doubleMax) + ((1 - r) * _doubleMin); // no overflow over the full double range
            }
            while (next == value && ++attempts < 8);
            return next;
        }

        if (_doubleMax <= 0 && _doubleMin < 0)
        {
            // A negative-only range counts down from the upper bound, as OPC PLC does.
            if (double.IsNaN(value) || value > _doubleMax || value < _doubleMin)
            {
                return _doubleMax;
            }

            var down = value - _options.StepSize;
            return down < _doubleMin ? _doubleMax : down;
        }

        if (double.IsNaN(value) || value < _doubleMin || value > _doubleMax)
        {
            return _doubleMin;
        }

        var up = value + _options.StepSize;
        return up > _doubleMax ? _doubleMin : up;
    }

    private static bool NextBool(in Variant current) =>
        !(current.Type == BuiltInType.Boolean && !current.IsArray && current.Get<bool>());

    private static Variant NextArray(in Variant current)
    {
        var next = new uint[ArrayLength];
        if (current.IsArray && current.Array is uint[] previous)
        {
            for (var i = 0; i < next.Length && i < previous.Length; i++)
            {
                next[i] = unchecked(previous[i] + 1);
            }
        }

        return Variant.FromArray(BuiltInType.UInt32, next);
    }
}
