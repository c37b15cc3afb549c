using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Subscriptions;

/// <summary>
/// Every subscription of a server: creation within the configured limits, the shared <see cref="SamplingScheduler"/>,
/// session close (delete, or keep for TransferSubscriptions until the subscription's lifetime runs out), expiry and
/// transfer between sessions.
/// </summary>
public sealed class SubscriptionManager : IDisposable
{
    private readonly ConcurrentDictionary<uint, Subscription> _all = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _lastItemId;
    private int _monitoredItemCount;
    private long _queueSlots;

    internal SubscriptionManager(ServerLimits limits)
    {
        Limits = limits;
        Sampler = new SamplingScheduler(_stopping.Token);
    }

    public ServerLimits Limits { get; }

    /// <summary>Subscriptions alive, including those kept after their session closed.</summary>
    public int Count => _all.Count;

    public int MonitoredItemCount => Volatile.Read(ref _monitoredItemCount);

    /// <summary>Sampling timers running: one per distinct sampling interval in use.</summary>
    public int SamplingTimerCount => Sampler.GroupCount;

    internal SamplingScheduler Sampler { get; }

    internal IEnumerable<Subscription> All => _all.Values;

    internal Subscription Create(ServerSession session, SubscriptionParameters parameters, bool publishingEnabled)
    {
        if (session.Subscriptions.Count >= Limits.MaxSubscriptionsPerSession || _all.Count >= Limits.MaxSubscriptions)
        {
            throw new OpcUaException(StatusCodes.BadTooManySubscriptions, $"At most {Limits.MaxSubscriptionsPerSession} per session and {Limits.MaxSubscriptions} in all.");
        }

        // Random ids: another client cannot guess the ids of live subscriptions.
        while (true)
        {
            var id = BitConverter.ToUInt32(RandomNumberGenerator.GetBytes(4));
            if (id == 0 || _all.ContainsKey(id))
            {
                continue;
            }

            var subscription = new Subscription(this, id, session, parameters, publishingEnabled);
            if (_all.TryAdd(id, subscription))
            {
                session.Subscriptions[id] = subscription;
                return subscription;
            }

            subscription.Dispose();
        }
    }

    /// <summary>The caller's subscription, or BadSubscriptionIdInvalid (someone else's counts as unknown).</summary>
    internal Subscription Get(ServerSession session, uint id)
    {
        if (!session.Subscriptions.TryGetValue(id, out var subscription) || subscription.Deleted)
        {
            throw new OpcUaException(StatusCodes.BadSubscriptionIdInvalid, $"Subscription {id} is not one of this session's.");
        }

        // A service call naming the subscription shows the client is alive (Part 4 §5.13.1.1).
        subscription.ResetLifetime();
        return subscription;
    }

    internal uint NextItemId()
    {
        uint id;
        do
        {
            id = (uint)Interlocked.Increment(ref _lastItemId);
        }
        while (id == 0);
        return id;
    }

    internal bool TryReserveItems(int count)
    {
        if (Interlocked.Add(ref _monitoredItemCount, count) > Limits.MaxMonitoredItems)
        {
            Interlocked.Add(ref _monitoredItemCount, -count);
            return false;
        }

        return true;
    }

    internal void ReleaseItems(int count) => Interlocked.Add(ref _monitoredItemCount, -count);

    /// <summary>Value slots allocated by every monitored item queue (bounded by <see cref="ServerLimits.MaxQueuedValues"/>).</summary>
    public long QueuedValueSlots => Interlocked.Read(ref _queueSlots);

    internal bool TryReserveQueueSlots(int count)
    {
        if (Interlocked.Add(ref _queueSlots, count) > Limits.MaxQueuedValues)
        {
            Interlocked.Add(ref _queueSlots, -count);
            return false;
        }

        return true;
    }

    /// <summary>The one slot every item may have, whatever the budget (the item count bounds these).</summary>
    internal void ForceReserveQueueSlots(int count) => Interlocked.Add(ref _queueSlots, count);

    internal void ReleaseQueueSlots(int count)
    {
        if (count > 0)
        {
            Interlocked.Add(ref _queueSlots, -count);
        }
    }

    /// <summary>Revises a requested publishing setup to what the server supports (Part 4 §5.13.2).</summary>
    internal SubscriptionParameters Revise(double interval, uint lifetimeCount, uint keepAliveCount, uint maxNotifications, byte priority)
    {
        var min = Limits.MinPublishingInterval.TotalMilliseconds;
        var max = Limits.MaxPublishingInterval.TotalMilliseconds;
        var revisedInterval = double.IsFinite(interval) && interval > min ? Math.Min(Math.Ceiling(interval), max) : min;
        var revisedKeepAlive = keepAliveCount == 0 ? 10 : Math.Min(keepAliveCount, Limits.MaxKeepAliveCount);

        // The lifetime must be at least three keep-alive periods, and not beyond the server's maximum.
        var revisedLifetime = Math.Max(lifetimeCount == 0 ? revisedKeepAlive * 10 : lifetimeCount, revisedKeepAlive * 3);
        revisedLifetime = (uint)Math.Min(revisedLifetime, Math.Max(3.0 * revisedKeepAlive, Limits.MaxSubscriptionLifetime.TotalMilliseconds / revisedInterval));
        var revisedMax = Limits.MaxNotificationsPerPublish == 0 ? maxNotifications
            : maxNotifications == 0 ? (uint)Limits.MaxNotificationsPerPublish : Math.Min(maxNotifications, (uint)Limits.MaxNotificationsPerPublish);
        return new SubscriptionParameters(revisedInterval, revisedLifetime, revisedKeepAlive, revisedMax, priority);
    }

    /// <summary>Bytes of notifications per message: the server's cap, and room under the client's MaxResponseMessageSize.</summary>
    internal int MaxMessageBytes(ServerSession? session)
    {
        var max = Limits.MaxNotificationBytesPerPublish;
        if (session is { MaxResponseMessageSize: > 0 } s)
        {
            max = (int)Math.Min(max, Math.Max(4096, (long)s.MaxResponseMessageSize - 4096));
        }

        return max;
    }

    internal void Delete(Subscription subscription)
    {
        if (!_all.TryRemove(subscription.Id, out _))
        {
            return;
        }

        // Marked deleted first (under its lock): item services that take the lock afterwards add nothing more.
        subscription.Dispose();
        ServerSession? session;
        List<ServerMonitoredItem> items;
        lock (subscription.Gate)
        {
            session = subscription.Session;
            items = [.. subscription.Items.Values];
        }

        session?.Subscriptions.TryRemove(subscription.Id, out _);
        Sampler.Remove(items);
        ReleaseItems(items.Count);
        if (session is not null && session.Subscriptions.IsEmpty)
        {
            DeliverNotices(session);
            // Parked Publish requests have nothing left to wait for (Part 4 §5.13.5).
            foreach (var pending in session.PublishQueue.RemoveWhere(static _ => true))
            {
                pending.Fail(StatusCodes.BadNoSubscription);
            }
        }
    }

    /// <summary>The lifetime ran out: delete it and tell the client with a StatusChangeNotification (Bad_Timeout).</summary>
    internal void Expire(Subscription subscription)
    {
        var session = subscription.Session;
        session?.StatusNotices.Enqueue(new StatusNotice(subscription.Id, subscription.NextSequenceNumber, StatusCodes.BadTimeout));
        Delete(subscription);
        if (session is not null)
        {
            DeliverNotices(session);
        }
    }

    /// <summary>Session closed: delete its subscriptions, or keep them (without session) for a later TransferSubscriptions.</summary>
    internal void OnSessionClosed(ServerSession session)
    {
        foreach (var pending in session.PublishQueue.RemoveWhere(static _ => true))
        {
            pending.Fail(StatusCodes.BadSessionClosed);
        }

        foreach (var subscription in session.Subscriptions.Values)
        {
            if (session.DeleteSubscriptionsOnClose)
            {
                Delete(subscription);
            }
            else
            {
                lock (subscription.Gate)
                {
                    subscription.Session = null;
                }
            }
        }

        session.Subscriptions.Clear();
    }

    /// <summary>TransferSubscriptions (Part 4 §5.13.7) to <paramref name="target"/>.</summary>
    internal TransferResult Transfer(ServerSession target, uint id, bool sendInitialValues)
    {
        if (!_all.TryGetValue(id, out var subscription) || subscription.Deleted)
        {
            return new TransferResult { StatusCode = StatusCodes.BadSubscriptionIdInvalid };
        }

        // Part 4 §5.13.7: the same user; for anonymous users the same client application (ApplicationUri). A
        // subscription whose session is still open moves only to the same client application, whoever the user is.
        var previousSession = subscription.Session;
        var sameClient = subscription.OwnerApplicationUri == target.ClientApplicationUri &&
            (previousSession is null || previousSession.ClientApplicationUri == target.ClientApplicationUri);
        if (subscription.OwnerUserName != target.UserName ||
            (target.UserName == "anonymous" && !sameClient) ||
            (previousSession is not null && previousSession != target && !sameClient))
        {
            return new TransferResult { StatusCode = StatusCodes.BadUserAccessDenied };
        }

        if (previousSession == target)
        {
            return new TransferResult { StatusCode = StatusCodes.BadNothingToDo, AvailableSequenceNumbers = [] };
        }

        if (target.Subscriptions.Count >= Limits.MaxSubscriptionsPerSession)
        {
            return new TransferResult { StatusCode = StatusCodes.BadTooManySubscriptions };
        }

        ServerSession? previous;
        uint[] available;
        lock (subscription.Gate)
        {
            if (subscription.Deleted)
            {
                return new TransferResult { StatusCode = StatusCodes.BadSubscriptionIdInvalid };
            }

            previous = subscription.Session;
            subscription.Session = target;
            subscription.ResetCountersLocked();
            available = subscription.AvailableSequenceNumbers;
        }

        target.Subscriptions[id] = subscription;
        if (previous is not null && previous != target)
        {
            previous.Subscriptions.TryRemove(id, out _);
            previous.StatusNotices.Enqueue(new StatusNotice(id, subscription.NextSequenceNumber, StatusCodes.GoodSubscriptionTransferred));
            DeliverNotices(previous);
        }

        if (sendInitialValues)
        {
            subscription.RequeueLastValues();
        }

        return new TransferResult { StatusCode = StatusCodes.Good, AvailableSequenceNumbers = available };
    }

    /// <summary>Answers parked Publish requests with queued status notices, one notice per request.</summary>
    internal static void DeliverNotices(ServerSession session)
    {
        lock (session.NoticeGate)
        {
            while (!session.StatusNotices.IsEmpty && session.PublishQueue.TryDequeue() is { } pending)
            {
                session.StatusNotices.TryDequeue(out var notice);
                pending.Complete(NoticeResponse(pending.Header, pending.AcknowledgementResults, notice));
            }
        }
    }

    /// <summary>A Publish answer whose only notification is a subscription's status change.</summary>
    internal static PublishResponse NoticeResponse(RequestHeader header, StatusCode[] results, StatusNotice notice) => new()
    {
        ResponseHeader = ResponseHeader.For(header),
        SubscriptionId = notice.SubscriptionId,
        Results = results,
        NotificationMessage = new NotificationMessage
        {
            SequenceNumber = notice.SequenceNumber,
            PublishTime = DateTime.UtcNow,
            NotificationData = [new ExtensionObject(new StatusChangeNotification { Status = notice.Status })],
        },
    };

    /// <summary>Answers parked Publish requests whose TimeoutHint passed (run by the server's watchdog).</summary>
    internal void ExpirePublishRequests(IEnumerable<ServerSession> sessions, DateTime now)
    {
        foreach (var session in sessions)
        {
            foreach (var pending in session.PublishQueue.RemoveWhere(p => p.Deadline <= now))
            {
                pending.Fail(StatusCodes.BadTimeout);
            }
        }
    }

    public void Dispose()
    {
        _stopping.Cancel();
        foreach (var subscription in _all.Values)
        {
            subscription.Dispose();
        }

        _all.Clear();
        Sampler.Dispose();
        _stopping.Dispose();
    }
}

/// <summary>A status change to tell a session about on its next Publish (a subscription timed out or was transferred).</summary>
internal readonly record struct StatusNotice(uint SubscriptionId, uint SequenceNumber, StatusCode Status);
