using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>Decides a client's write to a variable: return Good to accept (the value is then stored) or a Bad code.</summary>
public delegate StatusCode WriteHandler(VariableNode node, in DataValue value);

/// <summary>
/// A Variable (Part 3 §5.6). The current value is kept in fields guarded by a sequence lock: the application's
/// writes never allocate for numeric scalars, readers (Read service, and the sampling of part 2) never block and never
/// allocate, and <see cref="ChangeCount"/> tells a sampler whether anything was written since it last looked.
/// </summary>
public class VariableNode : Node
{
    private Variant _value;
    private StatusCode _status;
    private long _sourceTicks;
    private long _serverTicks;
    private int _sequence; // odd while a writer is inside

    public VariableNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, NodeId dataType, int valueRank)
        : base(nodeId, browseName, displayName)
    {
        DataType = dataType;
        ValueRank = valueRank;
    }

    public override NodeClass NodeClass => NodeClass.Variable;

    public NodeId DataType { get; set; }

    /// <summary>-1 scalar, 1 array, n matrix, -2 any, -3 scalar or array (Part 3 §5.6.2).</summary>
    public int ValueRank { get; set; }

    public uint[]? ArrayDimensions { get; set; }

    public AccessLevel AccessLevel { get; set; } = AccessLevel.CurrentRead;

    public double MinimumSamplingInterval { get; set; }

    public bool Historizing { get; set; }

    /// <summary>When set, reads call this instead of the stored value (for values computed on demand, like CurrentTime).</summary>
    public Func<DataValue>? ValueSource { get; set; }

    /// <summary>When set, client writes go through it; without it, writable variables simply store the value.</summary>
    public WriteHandler? OnWrite { get; set; }

    /// <summary>Increments on every write: compare two readings to know whether the value changed.</summary>
    public int ChangeCount => Volatile.Read(ref _sequence) >> 1;

    /// <summary>Stores a new value; thread-safe, lock-free for readers, allocation-free for numeric scalars.</summary>
    public void SetValue(in Variant value, StatusCode status = default, DateTime sourceTimestamp = default)
    {
        var now = DateTime.UtcNow.Ticks;
        var source = sourceTimestamp == default ? now
            : sourceTimestamp.Kind == DateTimeKind.Local ? sourceTimestamp.ToUniversalTime().Ticks : sourceTimestamp.Ticks;
        var spinner = default(SpinWait);
        var sequence = Volatile.Read(ref _sequence);
        while ((sequence & 1) != 0 || Interlocked.CompareExchange(ref _sequence, sequence + 1, sequence) != sequence)
        {
            spinner.SpinOnce();
            sequence = Volatile.Read(ref _sequence);
        }

        _value = value;
        _status = status;
        _sourceTicks = source;
        _serverTicks = now;
        Volatile.Write(ref _sequence, sequence + 2);
    }

    /// <summary>A consistent snapshot of value, status and timestamps.</summary>
    public DataValue ReadValue()
    {
        if (ValueSource is { } source)
        {
            return source();
        }

        var spinner = default(SpinWait);
        while (true)
        {
            var before = Volatile.Read(ref _sequence);
            if ((before & 1) == 0)
            {
                var value = _value;
                var status = _status;
                var sourceTicks = _sourceTicks;
                var serverTicks = _serverTicks;
                Interlocked.MemoryBarrier();
                if (Volatile.Read(ref _sequence) == before)
                {
                    return new DataValue(
                        value,
                        status,
                        sourceTicks == 0 ? default : new DateTime(sourceTicks, DateTimeKind.Utc),
                        serverTicks == 0 ? default : new DateTime(serverTicks, DateTimeKind.Utc));
                }
            }

            spinner.SpinOnce();
        }
    }

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        switch (attribute)
        {
            case AttributeId.Value: value = ReadValue().Value; return true;
            case AttributeId.DataType: value = new Variant(DataType); return true;
            case AttributeId.ValueRank: value = new Variant(ValueRank); return true;
            case AttributeId.ArrayDimensions:
                value = ArrayDimensions is null ? Variant.Null : Variant.FromArray(BuiltInType.UInt32, ArrayDimensions);
                return true;
            case AttributeId.AccessLevel: value = new Variant((byte)AccessLevel); return true;
            case AttributeId.UserAccessLevel: value = new Variant((byte)AccessLevel); return true;
            case AttributeId.MinimumSamplingInterval: value = new Variant(MinimumSamplingInterval); return true;
            case AttributeId.Historizing: value = new Variant(Historizing); return true;
            case AttributeId.AccessLevelEx: value = new Variant((uint)AccessLevel); return true;
            default: return base.TryReadAttribute(attribute, out value);
        }
    }
}

/// <summary>
/// A variable with a typed value: what <c>AddVariable&lt;T&gt;</c> returns. Setting <see cref="Value"/> from a timer
/// is cheap and thread-safe (see <see cref="VariableNode"/>).
/// </summary>
public sealed class VariableNode<T>(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, NodeId dataType, int valueRank)
    : VariableNode(nodeId, browseName, displayName, dataType, valueRank)
{
    public T Value
    {
        get => ReadValue().Value.Get<T>();
        set => SetValue(Variant.From(value));
    }

    /// <summary>Sets the value with an explicit status and source timestamp (for example Bad while a device is offline).</summary>
    public void Set(T value, StatusCode status, DateTime sourceTimestamp = default) => SetValue(Variant.From(value), status, sourceTimestamp);
}
