using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Subscriptions;

/// <summary>
/// A subscription (Part 4 §5.13.1): its monitored items, the queue of items with values to report, the publishing
/// timer with keep-alive and lifetime counters, and the retransmission queue for Republish. All state is guarded by
/// <see cref="Gate"/>; the sampler holds it while queueing values, the publish path while encoding them.
/// </summary>
internal sealed partial class Subscription : IDisposable
{
    private readonly SubscriptionManager _manager;
    private readonly Queue<ServerMonitoredItem> _ready = new();
    private readonly LinkedList<EncodedNotification> _retransmission = new();
    private readonly Timer _timer;
    private long _retransmissionBytes;
    private uint _nextSequenceNumber = 1;
    private uint _keepAliveCounter;
    private uint _lifetimeCounter;
    private bool _late;
    private bool _firstMessageSent;
    private StatusCode? _pendingStatus;
    private int _ticking;

    public Subscription(SubscriptionManager manager, uint id, ServerSession session, SubscriptionParameters parameters, bool publishingEnabled)
    {
        _manager = manager;
        Id = id;
        Session = session;
        OwnerUserName = session.UserName;
        OwnerApplicationUri = session.ClientApplicationUri;
        Parameters = parameters;
        PublishingEnabled = publishingEnabled;
        _timer = new Timer(static s => ((Subscription)s!).OnTimer(), this, Timeout.Infinite, Timeout.Infinite);
        RestartTimer();
    }

    public Lock Gate { get; } = new();

    internal SubscriptionManager Manager => _manager;

    /// <summary>Sum of the items' revised queue sizes (under <see cref="Gate"/>), kept within MaxQueuedValuesPerSubscription.</summary>
    public long ReservedQueueSize { get; set; }

    public uint Id { get; }

    /// <summary>The owning session; null once the session closed without deleting its subscriptions (kept for transfer).</summary>
    public ServerSession? Session { get; set; }

    public string? OwnerUserName { get; }

    /// <summary>The ApplicationUri of the client that created it (anonymous transfers need the same one).</summary>
    public string? OwnerApplicationUri { get; }

    public SubscriptionParameters Parameters { get; private set; }

    public bool PublishingEnabled { get; set; }

    public bool Deleted { get; private set; }

    public uint NextSequenceNumber => _nextSequenceNumber;

    /// <summary>Items by server id; changed under <see cref="Gate"/>.</summary>
    public Dictionary<uint, ServerMonitoredItem> Items { get; } = [];

    /// <summary>Sequence numbers still in the retransmission queue (under <see cref="Gate"/>).</summary>
    public uint[] AvailableSequenceNumbers
    {
        get
        {
            var numbers = new uint[_retransmission.Count];
            var i = 0;
            foreach (var message in _retransmission)
            {
                numbers[i++] = message.SequenceNumber;
            }

            return numbers;
        }
    }

    public void Modify(SubscriptionParameters parameters)
    {
        lock (Gate)
        {
            var intervalChanged = parameters.PublishingInterval != Parameters.PublishingInterval;
            Parameters = parameters;
            _lifetimeCounter = 0;
            if (intervalChanged)
            {
                RestartTimer();
            }
        }
    }

    private void RestartTimer()
    {
        var period = TimeSpan.FromMilliseconds(Parameters.PublishingInterval);
        _timer.Change(period, period);
    }

    /// <summary>The sampler found a new value (caller holds <see cref="Gate"/>).</summary>
    public void OnSample(ServerMonitoredItem item, in DataValue value)
    {
        if (item.Deleted || item.Mode == MonitoringMode.Disabled || !item.PassesFilter(in value))
        {
            return;
        }

        item.Enqueue(in value);
        MarkReady(item);
    }

    /// <summary>Puts a reporting item with queued values in the ready queue (caller holds <see cref="Gate"/>).</summary>
    public void MarkReady(ServerMonitoredItem item)
    {
        if (item.Mode == MonitoringMode.Reporting && !item.InReadyQueue && item.QueuedCount > 0)
        {
            item.InReadyQueue = true;
            _ready.Enqueue(item);
        }
    }

    /// <summary>Queues a StatusChangeNotification (e.g. GoodSubscriptionTransferred) for the next publish.</summary>
    public void QueueStatusChange(StatusCode status)
    {
        lock (Gate)
        {
            _pendingStatus = status;
            _late = true;
        }
    }

    /// <summary>One publishing cycle (Part 4 §5.13.1.2 state table, simplified to its observable behaviour).</summary>
    private void OnTimer()
    {
        if (Interlocked.Exchange(ref _ticking, 1) == 1)
        {
            return; // the previous cycle is still running
        }

        var expired = false;
        try
        {
            RunCycle(ref expired);
        }
#pragma warning disable CA1031 // A timer callback that throws would end the process.
        catch (Exception)
#pragma warning restore CA1031
        {
            expired = false;
        }
        finally
        {
            Volatile.Write(ref _ticking, 0);
        }

        if (expired)
        {
            try
            {
                _manager.Expire(this);
            }
#pragma warning disable CA1031 // See above.
            catch (Exception)
#pragma warning restore CA1031
            {
            }
        }
    }

    private void RunCycle(ref bool expired)
    {
        lock (Gate)
        {
            if (Deleted)
            {
                return;
            }

            if (HasSomethingToPublish)
            {
                _late = true;
            }
            else if (++_keepAliveCounter >= Parameters.MaxKeepAliveCount || !_firstMessageSent)
            {
                _late = true;
            }

            var queue = Session?.PublishQueue;
            var waiting = queue is not null && queue.Count > 0;
            if (_late)
            {
                ServeQueuedLocked();
            }

            // The lifetime counts cycles in which the client gave us no Publish request to answer with.
            if (_late || !waiting)
            {
                expired = ++_lifetimeCounter > Parameters.LifetimeCount;
            }
            else
            {
                _lifetimeCounter = 0;
            }
        }
    }

    private bool HasSomethingToPublish => _pendingStatus is not null || (PublishingEnabled && _ready.Count > 0);

    /// <summary>Late with nothing but a keep-alive (or a first message) to send (read without the lock: a hint for ordering).</summary>
    public bool IsKeepAliveDue => Volatile.Read(ref _late) && _ready.Count == 0 && _pendingStatus is null;

    /// <summary>The client showed it is alive (a Publish of the session, a service call naming this subscription).</summary>
    public void ResetLifetime()
    {
        lock (Gate)
        {
            _lifetimeCounter = 0;
        }
    }

    /// <summary>A Publish request just arrived: answer it now if this subscription is late. False leaves it to others.</summary>
    public bool TryPublishLate(PendingPublish pending, out IServiceResponse? response)
    {
        lock (Gate)
        {
            _lifetimeCounter = 0;
            if (!_late || Deleted)
            {
                response = null;
                return false;
            }

            response = BuildResponseLocked(pending);
            return true;
        }
    }

    /// <summary>Builds an answer now, whatever the publishing cycle says (benchmarks and tests of the encode path).</summary>
    internal PublishResponse PublishNow(PendingPublish pending)
    {
        lock (Gate)
        {
            return BuildResponseLocked(pending);
        }
    }

    /// <summary>Answers parked requests while this subscription is late (a request was just parked, or a cycle ended).</summary>
    public void ServeQueued()
    {
        lock (Gate)
        {
            if (_late && !Deleted)
            {
                ServeQueuedLocked();
            }
        }
    }

    private void ServeQueuedLocked()
    {
        while (_late && Session?.PublishQueue.TryDequeue() is { } pending)
        {
            pending.Complete(BuildResponseLocked(pending));
        }
    }

    public StatusCode Acknowledge(uint sequenceNumber)
    {
        lock (Gate)
        {
            for (var node = _retransmission.First; node is not null; node = node.Next)
            {
                if (node.Value.SequenceNumber == sequenceNumber)
                {
                    _retransmission.Remove(node);
                    _retransmissionBytes -= node.Value.Length;
                    node.Value.Release();
                    return StatusCodes.Good;
                }
            }

            return StatusCodes.BadSequenceNumberUnknown;
        }
    }

    /// <summary>Republish (Part 4 §5.13.6): the message if it is still in the retransmission queue.</summary>
    public EncodedNotification? FindForRepublish(uint sequenceNumber)
    {
        lock (Gate)
        {
            _lifetimeCounter = 0;
            foreach (var message in _retransmission)
            {
                if (message.SequenceNumber == sequenceNumber && message.TryAddReference())
                {
                    return message;
                }
            }

            return null;
        }
    }

    /// <summary>Stops the timer and releases queued messages; the caller removes it from the manager.</summary>
    public void Dispose()
    {
        lock (Gate)
        {
            if (Deleted)
            {
                return;
            }

            Deleted = true;
            foreach (var item in Items.Values)
            {
                item.Deleted = true;
                item.ReleaseQueue();
            }

            foreach (var message in _retransmission)
            {
                message.Release();
            }

            _retransmission.Clear();
            _retransmissionBytes = 0;
            _ready.Clear();
        }

        _timer.Dispose();
    }
}

/// <summary>The revised parameters of a subscription.</summary>
internal sealed record SubscriptionParameters(double PublishingInterval, uint LifetimeCount, uint MaxKeepAliveCount, uint MaxNotificationsPerPublish, byte Priority);
