using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Threading.Channels;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Client;

/// <summary>
/// A subscription of an <see cref="OpcUaClient"/> (Part 4 §5.13). Values arrive through the <see cref="DataChanged"/>
/// callback and/or the <see cref="ReadNotificationsAsync"/> stream; items can be added, changed and removed while it
/// publishes. The client keeps it alive across reconnects (the server's session re-activated, the subscription
/// transferred to a new session, or created again) and reports anything that may have been missed as a
/// <see cref="DataGap"/>.
/// </summary>
public sealed partial class Subscription : IAsyncDisposable
{
    private readonly OpcUaClient _client;
    private readonly ConcurrentDictionary<uint, MonitoredItem> _items = new();
    private readonly Lock _streamGate = new();

    // Held while a notification message is delivered, so removing items can wait for a delivery in progress.
    private readonly Lock _deliveryGate = new();
    private Channel<SubscriptionNotification>? _stream;
    private DataGap? _droppedGap;
    private uint _lastSequenceNumber;

    // Reordering and recovery state, touched only by the dispatch task (see ProcessAsync).
    private readonly SortedDictionary<uint, Services.NotificationMessage> _held = [];
    private uint _sentUpTo;
    private DateTime _sentUpToTime;
    private DateTime _holdDeadline = DateTime.MinValue;
    private bool _resetHeld;
    private long _lastMessageTicks;
    private bool _deleted;

    // Serialises what creates or deletes things on the server for this subscription (re-creation, item changes).
    private readonly SemaphoreSlim _serverGate = new(1, 1);
    private bool _needsRecreate;
    private uint _orphanId;

    internal Subscription(OpcUaClient client, SubscriptionOptions options)
    {
        _client = client;
        Options = options;
        PublishingEnabled = options.PublishingEnabled;
        Touch();
    }

    /// <summary>The server's subscription id; changes when the subscription had to be created again.</summary>
    public uint Id { get; private set; }

    public SubscriptionOptions Options { get; private set; }

    public TimeSpan RevisedPublishingInterval { get; private set; }

    public uint RevisedKeepAliveCount { get; private set; }

    public uint RevisedLifetimeCount { get; private set; }

    public bool PublishingEnabled { get; private set; }

    public IReadOnlyCollection<MonitoredItem> Items => (IReadOnlyCollection<MonitoredItem>)_items.Values;

    /// <summary>Publish time of the last NotificationMessage with data (UTC), the start of a gap if one follows.</summary>
    public DateTime LastPublishTime { get; private set; }

    /// <summary>Values of one NotificationMessage; raised on the client's dispatch task, in order. Keep handlers short.</summary>
    public event Action<DataChangeBatch>? DataChanged;

    /// <summary>Data may have been missed (see <see cref="DataGap"/>).</summary>
    public event Action<DataGap>? GapDetected;

    /// <summary>The server reported a status change of this subscription.</summary>
    public event Action<SubscriptionStatusChanged>? StatusChanged;

    /// <summary>
    /// Every notification of this subscription as an async stream, from the moment of the first call: data batches,
    /// gaps and status changes, in order. Buffers up to <see cref="SubscriptionOptions.StreamCapacity"/>; if the
    /// reader falls further behind, the newest batches are dropped and a <see cref="DataGap"/> says which time range.
    /// One reader at a time.
    /// </summary>
    public async IAsyncEnumerable<SubscriptionNotification> ReadNotificationsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        Channel<SubscriptionNotification> stream;
        lock (_streamGate)
        {
            stream = _stream ??= Channel.CreateBounded<SubscriptionNotification>(new BoundedChannelOptions(Math.Max(1, Options.StreamCapacity))
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            });
        }

        while (await stream.Reader.WaitToReadAsync(cancellationToken))
        {
            while (stream.Reader.TryRead(out var notification))
            {
                yield return notification;
            }
        }
    }

    /// <summary>Adds one item; see <see cref="AddItemsAsync"/>.</summary>
    public async Task<MonitoredItem> AddItemAsync(MonitoredItemOptions options, CancellationToken cancellationToken = default) =>
        (await AddItemsAsync([options], cancellationToken))[0];

    /// <summary>
    /// Creates monitored items (CreateMonitoredItems, split into calls of <see cref="ClientOptions.MaxMonitoredItemsPerCall"/>).
    /// Every item is returned: check <see cref="MonitoredItem.Status"/>; refused ones are not kept.
    /// </summary>
    public async Task<MonitoredItem[]> AddItemsAsync(IEnumerable<MonitoredItemOptions> options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(options);
        var items = options.Select(o => new MonitoredItem(this, o, _client.Engine.NextClientHandle())).ToArray();
        await _serverGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var item in items)
            {
                _items[item.ClientHandle] = item; // before the call: initial values may arrive before its response
            }

            await CreateOnServerAsync(items, cancellationToken);
        }
        catch
        {
            foreach (var item in items)
            {
                _items.TryRemove(item.ClientHandle, out _);
            }

            throw;
        }
        finally
        {
            _serverGate.Release();
        }

        foreach (var item in items.Where(i => !i.IsCreated))
        {
            _items.TryRemove(item.ClientHandle, out _);
        }

        return items;
    }

    /// <summary>
    /// Deletes monitored items (DeleteMonitoredItems). Their values stop at once on this side: once this returns, no
    /// callback sees them any more (a stream reader may still find batches queued before).
    /// </summary>
    public async Task RemoveItemsAsync(IEnumerable<MonitoredItem> items, CancellationToken cancellationToken = default)
    {
        var removed = items.Where(i => _items.TryRemove(i.ClientHandle, out _)).ToArray();
        lock (_deliveryGate)
        {
            // A delivery that looked the items up before they were removed has finished its callbacks now.
        }

        await _serverGate.WaitAsync(cancellationToken);
        try
        {
            foreach (var chunk in removed.Where(i => i.ServerId != 0).Chunk(_client.Options.MaxMonitoredItemsPerCall))
            {
                await _client.SendAsync<DeleteMonitoredItemsResponse>(new DeleteMonitoredItemsRequest
                {
                    SubscriptionId = Id,
                    MonitoredItemIds = chunk.Select(i => i.ServerId).ToArray(),
                }, cancellationToken);
            }
        }
        finally
        {
            foreach (var item in removed)
            {
                item.ServerId = 0;
            }

            _serverGate.Release();
        }
    }

    /// <summary>Changes items' sampling interval, queue, filter (ModifyMonitoredItems); node and attribute stay.</summary>
    public async Task ModifyItemsAsync(IReadOnlyList<(MonitoredItem Item, MonitoredItemOptions Options)> changes, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in changes.Where(c => c.Item.IsCreated).Chunk(_client.Options.MaxMonitoredItemsPerCall))
        {
            var response = await _client.SendAsync<ModifyMonitoredItemsResponse>(new ModifyMonitoredItemsRequest
            {
                SubscriptionId = Id,
                TimestampsToReturn = Options.TimestampsToReturn,
                ItemsToModify = chunk.Select(c => new MonitoredItemModifyRequest { MonitoredItemId = c.Item.ServerId, RequestedParameters = c.Options.ToParameters(c.Item.ClientHandle) }).ToArray(),
            }, cancellationToken);
            for (var i = 0; i < chunk.Length && i < response.Results.Length; i++)
            {
                var (item, options) = chunk[i];
                var result = response.Results[i];
                item.Status = result.StatusCode;
                if (result.StatusCode.IsGood)
                {
                    item.Options = options with { NodeId = item.NodeId, AttributeId = item.Options.AttributeId, MonitoringMode = item.MonitoringMode };
                    item.RevisedSamplingInterval = TimeSpan.FromMilliseconds(result.RevisedSamplingInterval);
                    item.RevisedQueueSize = result.RevisedQueueSize;
                }
            }
        }
    }

    /// <summary>Disabled, Sampling (queue but do not report) or Reporting (SetMonitoringMode, Part 4 §5.12.4).</summary>
    public async Task SetMonitoringModeAsync(MonitoringMode mode, IEnumerable<MonitoredItem> items, CancellationToken cancellationToken = default)
    {
        foreach (var chunk in items.Where(i => i.IsCreated).Chunk(_client.Options.MaxMonitoredItemsPerCall))
        {
            var response = await _client.SendAsync<SetMonitoringModeResponse>(new SetMonitoringModeRequest
            {
                SubscriptionId = Id,
                MonitoringMode = mode,
                MonitoredItemIds = chunk.Select(i => i.ServerId).ToArray(),
            }, cancellationToken);
            for (var i = 0; i < chunk.Length && i < response.Results.Length; i++)
            {
                if (response.Results[i].IsGood)
                {
                    chunk[i].MonitoringMode = mode;
                    chunk[i].Options = chunk[i].Options with { MonitoringMode = mode };
                }
            }
        }
    }

    /// <summary>Changes the publishing interval, keep-alive and lifetime counts (ModifySubscription).</summary>
    public async Task ModifyAsync(SubscriptionOptions options, CancellationToken cancellationToken = default)
    {
        var response = await _client.SendAsync<ModifySubscriptionResponse>(new ModifySubscriptionRequest
        {
            SubscriptionId = Id,
            RequestedPublishingInterval = options.PublishingInterval.TotalMilliseconds,
            RequestedLifetimeCount = options.EffectiveLifetimeCount,
            RequestedMaxKeepAliveCount = options.KeepAliveCount,
            MaxNotificationsPerPublish = options.MaxNotificationsPerPublish,
            Priority = options.Priority,
        }, cancellationToken);
        Options = options with { PublishingEnabled = PublishingEnabled };
        RevisedPublishingInterval = TimeSpan.FromMilliseconds(response.RevisedPublishingInterval);
        RevisedKeepAliveCount = response.RevisedMaxKeepAliveCount;
        RevisedLifetimeCount = response.RevisedLifetimeCount;
        Touch();
    }

    /// <summary>Stops or resumes notifications without losing the items (SetPublishingMode).</summary>
    public async Task SetPublishingModeAsync(bool enabled, CancellationToken cancellationToken = default)
    {
        var response = await _client.SendAsync<SetPublishingModeResponse>(new SetPublishingModeRequest { PublishingEnabled = enabled, SubscriptionIds = [Id] }, cancellationToken);
        if (response.Results is [{ IsBad: true } bad])
        {
            throw new OpcUaException(bad, $"SetPublishingMode on subscription {Id} failed.");
        }

        PublishingEnabled = enabled;
        Options = Options with { PublishingEnabled = enabled };
    }

    /// <summary>Deletes the subscription on the server (DeleteSubscriptions) and ends its stream.</summary>
    public async Task DeleteAsync(CancellationToken cancellationToken = default)
    {
        if (_deleted)
        {
            return;
        }

        _deleted = true;
        _client.Engine.Remove(this);
        try
        {
            if (_client.IsConnected)
            {
                await _client.SendAsync<DeleteSubscriptionsResponse>(new DeleteSubscriptionsRequest { SubscriptionIds = [Id] }, cancellationToken);
            }
        }
        finally
        {
            _stream?.Writer.TryComplete();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await DeleteAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
        {
            // The server deletes it at the end of its lifetime anyway.
        }
    }

    public override string ToString() => $"Subscription {Id} ({_items.Count} items, {RevisedPublishingInterval.TotalMilliseconds} ms)";
}
