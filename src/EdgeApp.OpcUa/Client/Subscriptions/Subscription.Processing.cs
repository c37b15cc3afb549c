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
    internal async Task<bool> RecreateAsync(uint expectedId, CancellationToken cancellationToken)
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
    /// One NotificationMessage from a Publish response, in order of arrival (one dispatch task). Missing sequence
    /// numbers are fetched with Republish first; those no longer available become a <see cref="DataGap"/>.
    /// Returns whether the message carried data (and so needs an acknowledgement).
    /// </summary>
    internal async Task<bool> ProcessAsync(NotificationMessage message, CancellationToken cancellationToken)
    {
        Touch();
        var sequence = message.SequenceNumber;
        if (message.IsKeepAlive)
        {
            // A keep-alive carries the next sequence number: anything before it that we lack was lost in transit.
            if (_lastSequenceNumber != 0 && sequence > _lastSequenceNumber + 1)
            {
                await RecoverAsync(_lastSequenceNumber + 1, sequence - 1, message.PublishTime, cancellationToken);
            }

            return false;
        }

        if (_lastSequenceNumber != 0 && sequence <= _lastSequenceNumber)
        {
            return true; // already delivered (fetched by Republish before this copy arrived)
        }

        if (_lastSequenceNumber != 0 && sequence > _lastSequenceNumber + 1)
        {
            await RecoverAsync(_lastSequenceNumber + 1, sequence - 1, message.PublishTime, cancellationToken);
        }

        Deliver(message);
        return true;
    }

    private async Task RecoverAsync(uint first, uint last, DateTime until, CancellationToken cancellationToken)
    {
        var lost = new List<uint>();
        for (var sequence = first; sequence <= last && sequence != 0; sequence++)
        {
            if (sequence - first >= MaxRepublishPerGap)
            {
                lost.Add(sequence);
                continue;
            }

            try
            {
                var response = await _client.SendAsync<RepublishResponse>(new RepublishRequest { SubscriptionId = Id, RetransmitSequenceNumber = sequence }, cancellationToken);
                Deliver(response.NotificationMessage);
                _client.Engine.Acknowledge(Id, sequence);
            }
            catch (OpcUaException)
            {
                lost.Add(sequence);
            }
        }

        if (lost.Count > 0)
        {
            ReportGap(new DataGap(this, LastPublishTime, until, GapReason.MessagesLost, [.. lost]));
        }

        if (last > _lastSequenceNumber)
        {
            _lastSequenceNumber = last;
        }
    }

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
