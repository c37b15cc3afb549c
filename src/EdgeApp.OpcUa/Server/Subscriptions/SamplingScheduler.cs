using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.Handlers;

namespace EdgeApp.OpcUa.Server.Subscriptions;

/// <summary>
/// Samples monitored items with one timer per distinct sampling interval, shared by every item and subscription that
/// uses it (not a timer per item). A tick walks an immutable array of items: an unchanged variable costs one integer
/// compare (<see cref="AddressSpace.VariableNode.ChangeCount"/>); a changed one is read lock-free and queued under
/// its subscription's lock, taken once per run of consecutive items of the same subscription.
/// </summary>
internal sealed class SamplingScheduler(CancellationToken stopping) : IDisposable
{
    private readonly Lock _gate = new();
    private readonly Dictionary<int, SamplingGroup> _groups = [];
    private static long s_errors;

    /// <summary>Samples that threw (a failing ValueSource, a value the filter could not compare); the item was skipped.</summary>
    public static long ErrorCount => Interlocked.Read(ref s_errors);

    public int GroupCount
    {
        get
        {
            lock (_gate)
            {
                return _groups.Count;
            }
        }
    }

    /// <summary>The intervals (ms) that currently have a timer.</summary>
    public int[] Intervals
    {
        get
        {
            lock (_gate)
            {
                return [.. _groups.Keys.Order()];
            }
        }
    }

    public void Add(IReadOnlyCollection<ServerMonitoredItem> items)
    {
        foreach (var byInterval in items.Where(i => i.Variable is not null).GroupBy(i => i.SamplingInterval))
        {
            lock (_gate)
            {
                if (!_groups.TryGetValue(byInterval.Key, out var group))
                {
                    group = new SamplingGroup(byInterval.Key, stopping);
                    _groups[byInterval.Key] = group;
                }

                group.Add(byInterval);
            }
        }
    }

    public void Remove(IReadOnlyCollection<ServerMonitoredItem> items)
    {
        foreach (var byInterval in items.Where(i => i.Variable is not null).GroupBy(i => i.SamplingInterval))
        {
            lock (_gate)
            {
                if (_groups.TryGetValue(byInterval.Key, out var group) && group.Remove(byInterval) == 0)
                {
                    _groups.Remove(byInterval.Key);
                    group.Dispose();
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var group in _groups.Values)
            {
                group.Dispose();
            }

            _groups.Clear();
        }
    }

    /// <summary>All items sampled at one interval, and the loop that samples them.</summary>
    private sealed class SamplingGroup : IDisposable
    {
        private readonly CancellationTokenSource _stop;
        private readonly PeriodicTimer _timer;
        private ServerMonitoredItem[] _items = [];

        public SamplingGroup(int intervalMs, CancellationToken stopping)
        {
            _stop = CancellationTokenSource.CreateLinkedTokenSource(stopping);
            _timer = new PeriodicTimer(TimeSpan.FromMilliseconds(Math.Max(1, intervalMs)));
            _ = Task.Run(RunAsync, CancellationToken.None);
        }

        // Called under the scheduler's lock: copy-on-write so the sampling loop never locks the array.
        public void Add(IEnumerable<ServerMonitoredItem> items)
        {
            var current = _items;
            var added = items.ToArray();
            var next = new ServerMonitoredItem[current.Length + added.Length];
            current.CopyTo(next, 0);
            added.CopyTo(next, current.Length);

            // Keep each subscription's items together so a tick takes each subscription lock once.
            Array.Sort(next, static (a, b) => a.Subscription.Id.CompareTo(b.Subscription.Id));
            Volatile.Write(ref _items, next);
        }

        public int Remove(IEnumerable<ServerMonitoredItem> items)
        {
            var removed = items.ToHashSet();
            var next = _items.Where(i => !removed.Contains(i)).ToArray();
            Volatile.Write(ref _items, next);
            return next.Length;
        }

        private async Task RunAsync()
        {
            try
            {
                while (await _timer.WaitForNextTickAsync(_stop.Token))
                {
                    try
                    {
                        Sample(Volatile.Read(ref _items));
                    }
#pragma warning disable CA1031 // Nothing may stop the sampling of every item at this interval.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                        Interlocked.Increment(ref s_errors);
                    }
                }
            }
            catch (OperationCanceledException)
            {
                // Group removed or server stopping.
            }
        }

        private static void Sample(ServerMonitoredItem[] items)
        {
            Subscription? locked = null;
            try
            {
                foreach (var item in items)
                {
                    if (item.Deleted || item.Mode == Services.MonitoringMode.Disabled)
                    {
                        continue;
                    }

                    try
                    {
                        SampleOne(item, ref locked);
                    }
#pragma warning disable CA1031 // A failing value source or filter skips this item's sample, not the others'.
                    catch (Exception)
#pragma warning restore CA1031
                    {
                        Interlocked.Increment(ref s_errors);
                    }
                }
            }
            finally
            {
                locked?.Gate.Exit();
            }
        }

        private static void SampleOne(ServerMonitoredItem item, ref Subscription? locked)
        {
            var node = item.Variable!;
            if (node.ValueSource is null)
            {
                var changeCount = node.ChangeCount;
                if (changeCount == item.LastChangeCount)
                {
                    return;
                }

                item.LastChangeCount = changeCount;
            }

            var value = node.ReadValue();
            if (item.IndexRange is { } range)
            {
                value = ApplyRange(value, range);
            }

            var subscription = item.Subscription;
            if (!ReferenceEquals(subscription, locked))
            {
                locked?.Gate.Exit();
                locked = null;
                subscription.Gate.Enter();
                locked = subscription;
            }

            subscription.OnSample(item, in value);
        }

        public void Dispose()
        {
            _stop.Cancel();
            _timer.Dispose();
            _stop.Dispose();
        }
    }

    internal static DataValue ApplyRange(DataValue value, string range)
    {
        var v = value.Value;
        var status = Handlers.IndexRange.Apply(ref v, range);
        return status.IsBad ? new DataValue(Variant.Null, status, value.SourceTimestamp, value.ServerTimestamp) : value with { Value = v };
    }
}
