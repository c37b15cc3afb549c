using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Client;

/// <summary>Creating on the server, message processing (sequence numbers, Republish, gaps) and delivery.</summary>
public sealed partial class Subscription
{
    private const int MaxRepublishPerGap = 256;

    internal bool IsDeleted => _deleted;

    /// <summary>Longest silence (no data, no keep-alive) before the watchdog declares the connection dead.</summary>
    internal TimeSpan WatchdogTimeout =>
        TimeSpan.FromMilliseconds(RevisedPublishingInterval.TotalMilliseconds * Math.Max(1, RevisedKeepAliveCount) * 2) + TimeSpan.FromSeconds(2);

    internal bool IsSilent(DateTime now) => !_deleted && Id != 0 && now.Ticks - Interlocked.Read(ref _lastMessageTicks) > WatchdogTimeout.Ticks;

    internal void Touch() => Interlocked.Exchange(ref _lastMessageTicks, DateTime.UtcNow.Ticks);

    /// <summary>CreateSubscription with the current options (first time, or again after the server lost it).</summary>
    internal async Task CreateOnServerAsync(CancellationToken cancellationToken)
    {
        var response = await _client.SendAsync<CreateSubscriptionResponse>(new CreateSubscriptionRequest
        {
            RequestedPublishingInterval = Options.PublishingInterval.TotalMilliseconds,
            RequestedLifetimeCount = Options.EffectiveLifetimeCount,
            RequestedMaxKeepAliveCount = Options.KeepAliveCount,
            MaxNotificationsPerPublish = Options.MaxNotificationsPerPublish,
            PublishingEnabled = PublishingEnabled,
            Priority = Options.Priority,
        }, cancellationToken);
        var previous = Id;
        Id = response.SubscriptionId;
        RevisedPublishingInterval = TimeSpan.FromMilliseconds(response.RevisedPublishingInterval);
        RevisedKeepAliveCount = response.RevisedMaxKeepAliveCount;
        RevisedLifetimeCount = response.RevisedLifetimeCount;
        _lastSequenceNumber = 0;
        Volatile.Write(ref _resetHeld, true); // messages held for the old server subscription are stale
        Touch();
        _client.Engine.Register(this, previous);
    }

    /// <summary>A re-creation failed part-way: the next restore must create it again, whatever the server says.</summary>
    internal bool NeedsRecreate => Volatile.Read(ref _needsRecreate);

    /// <summary>
    /// Creates the subscription and all its items again, unless someone else already did since the caller saw
    /// <paramref name="expectedId"/> (false then; true: the caller reports the gap). Serialised with other re-creations
    /// and item changes. If it fails half-way, the half-built server subscription is deleted (or remembered for the
    /// next attempt to delete) and the subscription stays marked for re-creation.
    /// </summary>
    internal async Task<bool> RecreateAsync(uint expectedId, CancellationToken cancellationToken, Action? created = null)
    {
        await _serverGate.WaitAsync(cancellationToken);
        try
        {
            if (_deleted || (Id != expectedId && !NeedsRecreate))
            {
                return false;
            }

            Volatile.Write(ref _needsRecreate, true);
            if (_orphanId != 0 && await TryDeleteOnServerAsync(_orphanId))
            {
                _orphanId = 0;
            }

            foreach (var item in _items.Values)
            {
                item.ServerId = 0;
            }

            await CreateOnServerAsync(cancellationToken);

            // Before the items exist (and send their first values): the gap is queued ahead of those values.
            created?.Invoke();
            try
            {
                await CreateOnServerAsync(_items.Values.ToArray(), cancellationToken);
            }
            catch
            {
                // A subscription without its items must not survive on the server looking healthy.
                _orphanId = Id;
                if (await TryDeleteOnServerAsync(Id))
                {
                    _orphanId = 0;
                }

                throw;
            }

            Volatile.Write(ref _needsRecreate, false);
            return true;
        }
        finally
        {
            _serverGate.Release();
        }
    }

    private async Task<bool> TryDeleteOnServerAsync(uint id)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await _client.SendAsync<DeleteSubscriptionsResponse>(new DeleteSubscriptionsRequest { SubscriptionIds = [id] }, timeout.Token);
            return true;
        }
        catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
        {
            return false; // not connected: the next attempt deletes it
        }
    }

    private async Task CreateOnServerAsync(MonitoredItem[] items, CancellationToken cancellationToken)
    {
        foreach (var chunk in items.Chunk(_client.Options.MaxMonitoredItemsPerCall))
        {
            var response = await _client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
            {
                SubscriptionId = Id,
                TimestampsToReturn = Options.TimestampsToReturn,
                ItemsToCreate = chunk.Select(i => new MonitoredItemCreateRequest
                {
                    ItemToMonitor = new ReadValueId { NodeId = i.NodeId, AttributeId = i.Options.AttributeId, IndexRange = i.Options.IndexRange },
                    MonitoringMode = i.Options.MonitoringMode,
                    RequestedParameters = i.Options.ToParameters(i.ClientHandle),
                }).ToArray(),
            }, cancellationToken);
            if (response.Results.Length != chunk.Length)
            {
                throw new OpcUaException(StatusCodes.BadUnknownResponse, $"CreateMonitoredItems returned {response.Results.Length} results for {chunk.Length} items.");
            }

            for (var i = 0; i < chunk.Length; i++)
            {
                chunk[i].Apply(response.Results[i]);
            }
        }
    }

    /// <summary>
    /// One NotificationMessage from a Publish response, on the engine's dispatch task. Messages are delivered in
    /// sequence-number order: one that jumps ahead is held for <see cref="ReorderGrace"/> (responses of concurrent
    /// Publish requests can arrive out of order); what is still missing then is fetched with Republish, and what the
    /// server no longer has becomes a <see cref="DataGap"/> per lost run. Delivered messages are acknowledged.
    /// </summary>
    internal async Task ProcessAsync(NotificationMessage message, CancellationToken cancellationToken)
    {
        Touch();
        ResetHeldIfRecreated();
        var sequence = message.SequenceNumber;
        if (message.IsKeepAlive)
        {
            // A keep-alive carries the next sequence number: everything before it was sent.
            if (_lastSequenceNumber != 0 && sequence > _lastSequenceNumber + 1 && sequence - 1 > _sentUpTo)
            {
                _sentUpTo = sequence - 1;
                _sentUpToTime = message.PublishTime;
            }
        }
        else if (_lastSequenceNumber != 0 && sequence <= _lastSequenceNumber)
        {
            _client.Engine.Acknowledge(Id, sequence); // already delivered (fetched by Republish before this copy arrived)
        }
        else if (_lastSequenceNumber == 0 || sequence == _lastSequenceNumber + 1)
        {
            DeliverAndAcknowledge(message);
        }
        else
        {
            _held[sequence] = message;
        }

        DeliverHeldInOrder();
        if (IsHolding && _holdDeadline == DateTime.MinValue)
        {
            _holdDeadline = DateTime.UtcNow + ReorderGrace;
        }

        await RecoverIfDueAsync(cancellationToken);
    }

    /// <summary>How long a message that jumps ahead waits for the ones before it before Republish is asked.</summary>
    internal static readonly TimeSpan ReorderGrace = TimeSpan.FromMilliseconds(250);

    /// <summary>Messages are held (or known to be missing) waiting for earlier sequence numbers.</summary>
    internal bool IsHolding => _held.Count > 0 || _sentUpTo > _lastSequenceNumber;

    /// <summary>Run by the dispatch task while it waits: recovers held messages whose grace period ended.</summary>
    internal Task OnIdleAsync(CancellationToken cancellationToken)
    {
        ResetHeldIfRecreated();
        return RecoverIfDueAsync(cancellationToken);
    }

    private void ResetHeldIfRecreated()
    {
        if (Volatile.Read(ref _resetHeld))
        {
            Volatile.Write(ref _resetHeld, false);
            _held.Clear();
            _sentUpTo = 0;
            _holdDeadline = DateTime.MinValue;
        }
    }

    private void DeliverAndAcknowledge(NotificationMessage message)
    {
        Deliver(message);
        _client.Engine.Acknowledge(Id, message.SequenceNumber);
    }

    private void DeliverHeldInOrder()
    {
        while (_held.Count > 0)
        {
            var (first, message) = _held.First();
            if (first <= _lastSequenceNumber)
            {
                _held.Remove(first); // a copy of something already delivered
                _client.Engine.Acknowledge(Id, first);
            }
            else if (first == _lastSequenceNumber + 1)
            {
                _held.Remove(first);
                DeliverAndAcknowledge(message);
            }
            else
            {
                break;
            }
        }

        if (!IsHolding)
        {
            _holdDeadline = DateTime.MinValue;
        }
    }

    /// <summary>
    /// After the grace period: each run of missing numbers (between the last delivered message and the next held one,
    /// or up to what a keep-alive announced) is fetched with Republish. Only Bad_MessageNotAvailable means lost (one
    /// <see cref="DataGap"/> per lost run, from the publish time of the message before it to that of the one after);
    /// any other failure (the connection went away) leaves everything held for the next attempt.
    /// </summary>
    private async Task RecoverIfDueAsync(CancellationToken cancellationToken)
    {
        if (!IsHolding || DateTime.UtcNow < _holdDeadline)
        {
            return;
        }

        while (IsHolding)
        {
            var runStart = _lastSequenceNumber + 1;
            var (runEnd, until) = _held.Count > 0
                ? (_held.First().Key - 1, _held.First().Value.PublishTime)
                : (_sentUpTo, _sentUpToTime);
            var from = LastPublishTime;
            var lost = new List<(uint First, uint Last)>();
            for (var sequence = runStart; sequence <= runEnd && sequence != 0; sequence++)
            {
                if (sequence - runStart >= MaxRepublishPerGap)
                {
                    AddLost(lost, sequence, runEnd); // beyond what is worth asking for one by one
                    break;
                }

                try
                {
                    var response = await _client.SendAsync<RepublishResponse>(new RepublishRequest { SubscriptionId = Id, RetransmitSequenceNumber = sequence }, cancellationToken);
                    Deliver(response.NotificationMessage);
                    _client.Engine.Acknowledge(Id, sequence);
                }
                catch (OpcUaException ex) when (ex.StatusCode.WithoutInfoBits == StatusCodes.BadMessageNotAvailable)
                {
                    AddLost(lost, sequence, sequence);
                }
                catch (OpcUaException)
                {
                    // Not answered (connection lost, session being restored): try again later, nothing is declared lost.
                    _holdDeadline = DateTime.UtcNow + ReorderGrace;
                    if (lost.Count > 0)
                    {
                        ReportLost(lost, from, until);
                        _lastSequenceNumber = Math.Max(_lastSequenceNumber, lost[^1].Last);
                    }

                    throw;
                }
            }

            if (lost.Count > 0)
            {
                ReportLost(lost, from, until);
            }

            if (runEnd > _lastSequenceNumber)
            {
                _lastSequenceNumber = runEnd;
            }

            DeliverHeldInOrder();
        }

        _holdDeadline = DateTime.MinValue;
    }

    private static void AddLost(List<(uint First, uint Last)> lost, uint first, uint last)
    {
        if (lost.Count > 0 && lost[^1].Last + 1 == first)
        {
            lost[^1] = (lost[^1].First, last);
        }
        else
        {
            lost.Add((first, last));
        }
    }

    /// <summary>One gap per run of lost messages; the number list is capped (the ranges say it all).</summary>
    private void ReportLost(List<(uint First, uint Last)> lost, DateTime from, DateTime until)
    {
        foreach (var (first, last) in lost)
        {
            var count = (int)Math.Min(last - first + 1L, MaxLostNumbersListed);
            var numbers = new uint[count];
            for (var i = 0; i < count; i++)
            {
                numbers[i] = first + (uint)i;
            }

            ReportGap(new DataGap(this, from, until, GapReason.MessagesLost, numbers) { FirstLost = first, LastLost = last });
        }
    }

    private const int MaxLostNumbersListed = 1024;

    private void Deliver(NotificationMessage message)
    {
        lock (_deliveryGate)
        {
            DeliverUnderGate(message);
        }
    }

    private void DeliverUnderGate(NotificationMessage message)
    {
        foreach (var data in message.NotificationData)
        {
            switch (data.Body)
            {
                case DataChangeNotification dataChange:
                    var values = dataChange.MonitoredItems;
                    var changes = new DataChange[values.Length];
                    var count = 0;
                    for (var i = 0; i < values.Length; i++)
                    {
                        if (_items.TryGetValue(values[i].ClientHandle, out var item))
                        {
                            item.SetLastValue(values[i].Value);
                            changes[count++] = new DataChange(item, values[i].Value);
                        }
                    }

                    if (count < changes.Length)
                    {
                        Array.Resize(ref changes, count);
                    }

                    Emit(new DataChangeBatch(this, message.SequenceNumber, message.PublishTime, changes));
                    break;
                case StatusChangeNotification status:
                    Emit(new SubscriptionStatusChanged(this, status.Status));
                    if (status.Status.WithoutInfoBits == StatusCodes.BadTimeout)
                    {
                        // The server deleted it (lifetime expired): create it again in the background.
                        _client.Engine.ScheduleRecreate(this);
                    }

                    break;
            }
        }

        if (message.SequenceNumber > _lastSequenceNumber || _lastSequenceNumber - message.SequenceNumber > uint.MaxValue / 2)
        {
            _lastSequenceNumber = message.SequenceNumber;
        }

        LastPublishTime = message.PublishTime;
    }

    internal void ReportGap(DataGap gap) => Emit(gap);

    /// <summary>Hands a notification to the callbacks and the stream; a full stream drops it and reports the range later.</summary>
    private void Emit(SubscriptionNotification notification)
    {
        try
        {
            switch (notification)
            {
                case DataChangeBatch batch:
                    DataChanged?.Invoke(batch);
                    break;
                case DataGap gap:
                    GapDetected?.Invoke(gap);
                    break;
                case SubscriptionStatusChanged status:
                    StatusChanged?.Invoke(status);
                    break;
            }
        }
#pragma warning disable CA1031 // A failing callback must not stop the delivery of other subscriptions' data.
        catch (Exception)
#pragma warning restore CA1031
        {
        }

        var stream = _stream;
        if (stream is null)
        {
            return;
        }

        if (_droppedGap is { } pending && stream.Writer.TryWrite(pending))
        {
            _droppedGap = null;
        }

        if (_droppedGap is null && stream.Writer.TryWrite(notification))
        {
            return;
        }

        var time = notification is DataChangeBatch b ? b.PublishTime : DateTime.UtcNow;
        _droppedGap = _droppedGap is { } open
            ? open with { To = time }
            : new DataGap(this, time, time, GapReason.ConsumerTooSlow, []);
    }
}
