using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>A reference from the node that holds it: forward, or inverse when <see cref="IsInverse"/>.</summary>
public readonly record struct NodeReference(NodeId ReferenceTypeId, bool IsInverse, NodeId TargetId);

/// <summary>
/// A node's references: appended under a lock, read without one. Readers take the count first and the array second;
/// a writer publishes a grown array before the count that covers it, so a reader never sees a missing slot.
/// Folders with 100,000 children grow amortised, not copy-per-add.
/// </summary>
public sealed class ReferenceList
{
    private readonly Lock _gate = new();
    private NodeReference[] _items = [];
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public ReadOnlySpan<NodeReference> Snapshot()
    {
        var count = Volatile.Read(ref _count);
        var items = Volatile.Read(ref _items);

        // A removal publishes a shorter array before its count: a reader holding the old count sees the new array whole.
        return items.AsSpan(0, Math.Min(count, items.Length));
    }

    public void Add(NodeReference reference)
    {
        lock (_gate)
        {
            if (_count == _items.Length)
            {
                var grown = new NodeReference[Math.Max(4, _items.Length * 2)];
                _items.AsSpan(0, _count).CopyTo(grown);
                Volatile.Write(ref _items, grown);
            }

            _items[_count] = reference;
            Volatile.Write(ref _count, _count + 1);
        }
    }

    /// <summary>Removes matching references by publishing a new array (rare: node deletion).</summary>
    public int RemoveAll(Func<NodeReference, bool> match)
    {
        lock (_gate)
        {
            var kept = _items.AsSpan(0, _count).ToArray().Where(r => !match(r)).ToArray();
            var removed = _count - kept.Length;
            Volatile.Write(ref _items, kept);
            Volatile.Write(ref _count, kept.Length);
            return removed;
        }
    }
}
