using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Subscriptions;

/// <summary>
/// A monitored item on the server (Part 4 §5.12.1): what it samples, its filter and its queue. The queue is a ring of
/// <see cref="DataValue"/> structs that grows on demand up to the revised queue size, so enqueueing allocates nothing
/// in steady state. Every member except the sampling fields is used under the owning subscription's lock.
/// </summary>
internal sealed class ServerMonitoredItem
{
    private DataValue[] _queue = [];
    private int _head;
    private int _count;
    private DataValue _last;
    private bool _hasLast;

    public ServerMonitoredItem(Subscription subscription, uint id, Node node, ReadValueId itemToMonitor)
    {
        Subscription = subscription;
        Id = id;
        Node = node;
        Variable = itemToMonitor.AttributeId == AttributeId.Value ? node as VariableNode : null;
        AttributeId = itemToMonitor.AttributeId;
        IndexRange = string.IsNullOrEmpty(itemToMonitor.IndexRange) ? null : itemToMonitor.IndexRange;
    }

    public Subscription Subscription { get; }

    public uint Id { get; }

    public Node Node { get; }

    /// <summary>The variable whose Value is sampled; null for other attributes (reported once, they do not change).</summary>
    public VariableNode? Variable { get; }

    public AttributeId AttributeId { get; }

    public string? IndexRange { get; }

    public uint ClientHandle { get; set; }

    public MonitoringMode Mode { get; set; }

    public TimestampsToReturn Timestamps { get; set; }

    /// <summary>Revised sampling interval in whole milliseconds: the key of its sampling group.</summary>
    public int SamplingInterval { get; set; }

    public uint QueueSize { get; private set; } = 1;

    public bool DiscardOldest { get; set; } = true;

    public DataChangeTrigger Trigger { get; set; } = DataChangeTrigger.StatusValue;

    /// <summary>The absolute deadband (a percent deadband is converted with the EURange span); 0 for none.</summary>
    public double Deadband { get; set; }

    /// <summary>Sampler state: the node's ChangeCount at the last sample (only the sampling thread touches it).</summary>
    public int LastChangeCount { get; set; } = -1;

    public volatile bool Deleted;

    /// <summary>In the subscription's ready queue (has values to report).</summary>
    public bool InReadyQueue { get; set; }

    public int QueuedCount => _count;

    public void SetQueueSize(uint size)
    {
        QueueSize = size;
        while (_count > size)
        {
            // Shrinking: keep the newest values.
            _queue[_head] = default;
            _head = (_head + 1) % _queue.Length;
            _count--;
        }

        if (_queue.Length > size)
        {
            // Give back the slots beyond the new size.
            var kept = new DataValue[_count];
            for (var i = 0; i < _count; i++)
            {
                kept[i] = _queue[(_head + i) % _queue.Length];
            }

            Subscription.Manager.ReleaseQueueSlots(_queue.Length - kept.Length);
            _queue = kept;
            _head = 0;
        }
    }

    /// <summary>Drops the queue and returns its slots to the server's budget (the item is being deleted).</summary>
    public void ReleaseQueue()
    {
        var slots = _queue.Length;
        _queue = [];
        _head = 0;
        _count = 0;
        Subscription.Manager.ReleaseQueueSlots(slots);
    }

    /// <summary>True when <paramref name="value"/> differs from the last queued value per the trigger and deadband.</summary>
    public bool PassesFilter(in DataValue value)
    {
        if (!_hasLast)
        {
            return true;
        }

        if (value.StatusCode.Code != _last.StatusCode.Code)
        {
            return true;
        }

        if (Trigger == DataChangeTrigger.Status)
        {
            return false;
        }

        if (Trigger == DataChangeTrigger.StatusValueTimestamp && value.SourceTimestamp != _last.SourceTimestamp)
        {
            return true;
        }

        return Deadband > 0 ? ExceedsDeadband(value.Value, _last.Value, Deadband) : !value.Value.Equals(_last.Value);
    }

    /// <summary>Adds a sample, applying the overflow rules of Part 4 §5.12.1.5.</summary>
    public void Enqueue(in DataValue value)
    {
        _last = value;
        _hasLast = true;
        if (QueueSize <= 1 || _queue.Length == 0)
        {
            // Every item may hold one value whatever the budget (the item count bounds these).
            EnsureFirstSlot();
        }

        if (QueueSize <= 1)
        {
            // Queue size one: the newest value replaces the unsent one; no overflow bit.
            _queue[0] = value;
            _head = 0;
            _count = 1;
            return;
        }

        if (_count < QueueSize && (_count < _queue.Length || TryGrow(_count + 1)))
        {
            _queue[(_head + _count) % _queue.Length] = value;
            _count++;
            return;
        }

        // Full: at its queue size, or at what the server's queue budget let it grow to (ServerLimits.MaxQueuedValues).

        if (DiscardOldest)
        {
            // Drop the oldest; the value now first in the queue carries the overflow bit.
            _head = (_head + 1) % _queue.Length;
            _queue[(_head + _count - 1) % _queue.Length] = value;
            ref var first = ref _queue[_head];
            first = first with { StatusCode = new StatusCode(first.StatusCode.Code | StatusCodes.OverflowBits) };
        }
        else
        {
            // Replace the newest; the new value carries the overflow bit.
            _queue[(_head + _count - 1) % _queue.Length] = value with { StatusCode = new StatusCode(value.StatusCode.Code | StatusCodes.OverflowBits) };
        }
    }

    public bool TryDequeue(out DataValue value)
    {
        if (_count == 0)
        {
            value = default;
            return false;
        }

        value = _queue[_head];
        _queue[_head] = default;
        _head = (_head + 1) % _queue.Length;
        _count--;
        return true;
    }

    public void ClearQueue()
    {
        Array.Clear(_queue);
        _head = 0;
        _count = 0;
    }

    /// <summary>Forgets the last value so the next sample is reported whatever it is (re-enabled items, initial values).</summary>
    public void ResetLast()
    {
        _hasLast = false;
        LastChangeCount = -1;
    }

    /// <summary>Queues the last value again (TransferSubscriptions with SendInitialValues).</summary>
    public void RequeueLast()
    {
        if (_hasLast && _count == 0)
        {
            Enqueue(_last);
        }
    }

    /// <summary>The value as the client asked for it: only the timestamps in <see cref="Timestamps"/>.</summary>
    public DataValue Shape(in DataValue value) => Timestamps switch
    {
        TimestampsToReturn.Both => value,
        TimestampsToReturn.Source => value with { ServerTimestamp = default, ServerPicoseconds = 0 },
        TimestampsToReturn.Server => value with { SourceTimestamp = default, SourcePicoseconds = 0 },
        _ => value with { SourceTimestamp = default, SourcePicoseconds = 0, ServerTimestamp = default, ServerPicoseconds = 0 },
    };

    private void EnsureFirstSlot()
    {
        if (_queue.Length == 0)
        {
            Subscription.Manager.ForceReserveQueueSlots(1);
            _queue = new DataValue[1];
            _head = 0;
        }
    }

    /// <summary>Grows the ring (doubling, up to the queue size) within the server's queue budget; false when it is spent.</summary>
    private bool TryGrow(int needed)
    {
        var manager = Subscription.Manager;
        var size = (int)Math.Min(QueueSize, Math.Max(needed, _queue.Length * 2));
        if (!manager.TryReserveQueueSlots(size - _queue.Length))
        {
            size = needed;
            if (!manager.TryReserveQueueSlots(size - _queue.Length))
            {
                return false;
            }
        }

        var grown = new DataValue[size];
        for (var i = 0; i < _count; i++)
        {
            grown[i] = _queue[(_head + i) % _queue.Length];
        }

        _queue = grown;
        _head = 0;
        return true;
    }

    /// <summary>Numeric scalars and arrays: changed when any element moved by more than the deadband (Part 4 §7.22.2).</summary>
    internal static bool ExceedsDeadband(in Variant current, in Variant last, double deadband)
    {
        if (current.Type != last.Type || current.IsArray != last.IsArray)
        {
            return true;
        }

        if (!current.IsArray)
        {
            return TryGetDouble(current, out var a) && TryGetDouble(last, out var b) ? Math.Abs(a - b) > deadband : !current.Equals(last);
        }

        var x = current.Array!;
        var y = last.Array!;
        if (x.Length != y.Length)
        {
            return true;
        }

        switch (x)
        {
            case double[] dx when y is double[] dy:
                for (var i = 0; i < dx.Length; i++)
                {
                    if (Math.Abs(dx[i] - dy[i]) > deadband)
                    {
                        return true;
                    }
                }

                return false;
            case float[] fx when y is float[] fy:
                for (var i = 0; i < fx.Length; i++)
                {
                    if (Math.Abs(fx[i] - fy[i]) > deadband)
                    {
                        return true;
                    }
                }

                return false;
            default:
                for (var i = 0; i < x.Length; i++)
                {
                    // Non-numeric elements (a BaseDataType variable written with strings) count as changed when different.
                    var xo = x.GetValue(i);
                    var yo = y.GetValue(i);
                    if (!TryGetDouble(xo, out var xi) || !TryGetDouble(yo, out var yi))
                    {
                        if (!Equals(xo, yo))
                        {
                            return true;
                        }

                        continue;
                    }

                    if (Math.Abs(xi - yi) > deadband)
                    {
                        return true;
                    }
                }

                return false;
        }
    }

    private static bool TryGetDouble(object? value, out double result)
    {
        switch (value)
        {
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double:
                result = Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture);
                return double.IsFinite(result) || double.IsInfinity(result);
            default:
                result = 0;
                return false;
        }
    }

    /// <summary>A numeric scalar as double, without boxing.</summary>
    internal static bool TryGetDouble(in Variant value, out double result)
    {
        var bits = value.Bits;
        switch (value.Type)
        {
            case BuiltInType.SByte: result = (sbyte)bits; return true;
            case BuiltInType.Byte: result = (byte)bits; return true;
            case BuiltInType.Int16: result = (short)bits; return true;
            case BuiltInType.UInt16: result = (ushort)bits; return true;
            case BuiltInType.Int32: result = (int)bits; return true;
            case BuiltInType.UInt32: result = (uint)bits; return true;
            case BuiltInType.Int64: result = bits; return true;
            case BuiltInType.UInt64: result = (ulong)bits; return true;
            case BuiltInType.Float: result = BitConverter.Int32BitsToSingle((int)bits); return true;
            case BuiltInType.Double: result = BitConverter.Int64BitsToDouble(bits); return true;
            default: result = 0; return false;
        }
    }
}
