using System.Collections.Concurrent;
using System.Threading.Channels;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Client;

/// <summary>
/// The client's publishing machinery (Part 4 §5.13.5): keeps <see cref="ClientOptions.MaxPublishRequests"/> Publish
/// requests in flight, hands responses to one dispatch task (so each subscription sees its messages in order),
/// acknowledges what was delivered with the next request, watches keep-alives, and restores subscriptions after a
/// reconnect.
/// </summary>
internal sealed class SubscriptionEngine(OpcUaClient client) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<uint, Subscription> _byId = new();
    private readonly ConcurrentQueue<SubscriptionAcknowledgement> _acks = new();
    private readonly Channel<DispatchItem> _responses = Channel.CreateUnbounded<DispatchItem>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _startGate = new();
    private Task? _pump;
    private Task? _dispatch;
    private Task? _watchdog;
    private int _inFlight;
    private int _maxInFlight = Math.Max(1, client.Options.MaxPublishRequests);
    private int _lastHandle;
    private volatile bool _restoring;

    public uint NextClientHandle() => (uint)Interlocked.Increment(ref _lastHandle);

    public IReadOnlyCollection<Subscription> All => (IReadOnlyCollection<Subscription>)_byId.Values;

    /// <summary>Indexes a subscription by its (new) server id and starts publishing.</summary>
    public void Register(Subscription subscription, uint previousId)
    {
        if (previousId != 0 && previousId != subscription.Id)
        {
            _byId.TryRemove(new KeyValuePair<uint, Subscription>(previousId, subscription));
        }

        _byId[subscription.Id] = subscription;
        EnsureStarted();
        Wake();
    }

    public void Remove(Subscription subscription) => _byId.TryRemove(new KeyValuePair<uint, Subscription>(subscription.Id, subscription));

    /// <summary>The connection was lost: no Publish requests until <see cref="Resume"/> after the restore.</summary>
    public void Pause() => _restoring = true;

    /// <summary>The connection, session and subscriptions are restored: publish again.</summary>
    public void Resume()
    {
        _restoring = false;
        Wake();
    }

    internal bool IsPaused => _restoring;

    public void Acknowledge(uint subscriptionId, uint sequenceNumber) => _acks.Enqueue(new SubscriptionAcknowledgement(subscriptionId, sequenceNumber));

    private void Wake()
    {
        try
        {
            if (!_stopping.IsCancellationRequested && _wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // A request finished after the engine was disposed.
        }
    }

    private void EnsureStarted()
    {
        lock (_startGate)
        {
            if (_pump is not null || _stopping.IsCancellationRequested)
            {
                return;
            }

            _pump = Task.Run(PumpAsync);
            _dispatch = Task.Run(DispatchAsync);
            _watchdog = Task.Run(WatchdogAsync);
        }
    }

    private async Task PumpAsync()
    {
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                if (!_byId.IsEmpty && !_restoring && client.IsConnected)
                {
                    // Re-checked per request: a request that fails at once (closed channel) must not make this spin.
                    for (var started = 0; started < _maxInFlight && Volatile.Read(ref _inFlight) < _maxInFlight && !_restoring && client.IsConnected && !_stopping.IsCancellationRequested; started++)
                    {
                        Interlocked.Increment(ref _inFlight);
                        _ = PublishOnceAsync();
                    }
                }

                await _wake.WaitAsync(TimeSpan.FromMilliseconds(250), _stopping.Token);
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>A Publish request waits at most a few keep-alive periods (the server answers within one).</summary>
    private TimeSpan PublishTimeout()
    {
        var longest = TimeSpan.Zero;
        foreach (var subscription in _byId.Values)
        {
            var period = subscription.RevisedPublishingInterval * Math.Max(1, subscription.RevisedKeepAliveCount);
            if (period > longest)
            {
                longest = period;
            }
        }

        var timeout = longest * 3 + TimeSpan.FromSeconds(5);
        return timeout < client.Options.RequestTimeout ? client.Options.RequestTimeout : timeout;
    }

    private async Task PublishOnceAsync()
    {
        var acks = new List<SubscriptionAcknowledgement>();
        while (acks.Count < 1000 && _acks.TryDequeue(out var ack))
        {
            acks.Add(ack);
        }

        try
        {
            var response = await client.SendAsync<PublishResponse>(new PublishRequest { SubscriptionAcknowledgements = [.. acks] }, PublishTimeout(), _stopping.Token);
            _responses.Writer.TryWrite(new DispatchItem(response, null, null));
        }
        catch (OpcUaException ex)
        {
            // Not acknowledged: send them again (a duplicate acknowledgement is harmless).
            foreach (var ack in acks)
            {
                _acks.Enqueue(ack);
            }

            await OnPublishFailedAsync(ex.StatusCode.WithoutInfoBits);
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
            Wake();
        }
    }

    private async Task OnPublishFailedAsync(StatusCode status)
    {
        try
        {
            if (status == StatusCodes.BadTooManyPublishRequests)
            {
                _maxInFlight = Math.Max(1, Volatile.Read(ref _inFlight) - 1);
            }
            else if (status == StatusCodes.BadTimeout && client.IsConnected)
            {
                // The server held it past our timeout; just ask again.
            }
            else if ((status == StatusCodes.BadSessionIdInvalid || status == StatusCodes.BadSessionClosed) && client.IsConnected && !_restoring && !client.IsReconnecting)
            {
                // The server dropped our session while the connection lived: reconnecting creates a new one.
                await client.AbortConnectionAsync("The server closed the session.");
            }
            else
            {
                await Task.Delay(200, _stopping.Token); // no subscription yet, or the connection is being replaced
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>
    /// The single dispatch task: Publish responses and gaps, in the order they were queued, so every callback and
    /// stream write of a subscription happens here. While a subscription holds messages that jumped ahead, it wakes
    /// at least every 50 ms to recover them once their grace period is over.
    /// </summary>
    private async Task DispatchAsync()
    {
        var holding = new HashSet<Subscription>();
        try
        {
            while (!_stopping.IsCancellationRequested)
            {
                while (_responses.Reader.TryRead(out var item))
                {
                    var subscription = item.Subscription;
                    if (item.Gap is { } gap)
                    {
                        subscription!.ReportGap(gap);
                        continue;
                    }

                    var response = item.Response!;
                    if (!_byId.TryGetValue(response.SubscriptionId, out subscription))
                    {
                        continue; // deleted meanwhile; the server forgets its messages with it
                    }

                    await RunAsync(subscription, s => s.ProcessAsync(response.NotificationMessage, _stopping.Token), holding);
                }

                foreach (var subscription in holding.ToArray())
                {
                    await RunAsync(subscription, s => s.OnIdleAsync(_stopping.Token), holding);
                }

                if (holding.Count == 0)
                {
                    if (!await _responses.Reader.WaitToReadAsync(_stopping.Token))
                    {
                        return;
                    }
                }
                else
                {
                    using var wake = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);
                    wake.CancelAfter(50);
                    try
                    {
                        await _responses.Reader.WaitToReadAsync(wake.Token);
                    }
                    catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
                    {
                        // Time to look at the held messages.
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
        catch (ChannelClosedException)
        {
            // Disposed.
        }
    }

    private static async Task RunAsync(Subscription subscription, Func<Subscription, Task> step, HashSet<Subscription> holding)
    {
        try
        {
            await step(subscription);
        }
        catch (OpcUaException)
        {
            // Republish failed because the connection went away; held messages are tried again after the restore.
        }

        if (subscription.IsHolding && !subscription.IsDeleted)
        {
            holding.Add(subscription);
        }
        else
        {
            holding.Remove(subscription);
        }
    }

    /// <summary>Queues a gap found off the dispatch task (re-creation), so it is emitted there, in order.</summary>
    public void QueueGap(Subscription subscription, DataGap gap) => _responses.Writer.TryWrite(new DispatchItem(null, subscription, gap));

    /// <summary>No data and no keep-alive for two keep-alive periods: the connection is dead even if TCP has not noticed.</summary>
    private async Task WatchdogAsync()
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        try
        {
            while (await timer.WaitForNextTickAsync(_stopping.Token))
            {
                if (_restoring || !client.IsConnected || client.IsReconnecting)
                {
                    continue;
                }

                var now = DateTime.UtcNow;
                if (_byId.Values.Any(s => s.IsSilent(now)))
                {
                    foreach (var subscription in _byId.Values)
                    {
                        subscription.Touch();
                    }

                    await client.AbortConnectionAsync("No Publish response within the keep-alive period.");
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Disposed.
        }
    }

    /// <summary>A subscription the server reported as timed out: create it again (in the background) and report the gap.</summary>
    public void ScheduleRecreate(Subscription subscription)
    {
        var expectedId = subscription.Id;
        _ = Task.Run(async () =>
        {
            try
            {
                var from = subscription.LastPublishTime;
                await subscription.RecreateAsync(expectedId, _stopping.Token,
                    () => QueueGap(subscription, new DataGap(subscription, from, DateTime.UtcNow, GapReason.SubscriptionRecreated, [])));
            }
            catch (Exception ex) when (ex is OpcUaException or OperationCanceledException)
            {
                // Not connected: the restore after reconnecting re-creates it.
            }
        });
    }

    /// <summary>
    /// After a reconnect: subscriptions of a re-activated session are checked, those of a new session transferred
    /// (Part 4 §5.13.7), and any the server no longer has are created again with a <see cref="DataGap"/>.
    /// </summary>
    public async Task<RestoreKind> RestoreAsync(RestoreKind kind, CancellationToken cancellationToken)
    {
        var subscriptions = _byId.Values.Where(s => !s.IsDeleted).ToArray();
        if (subscriptions.Length == 0)
        {
            return kind;
        }

        _restoring = true;
        try
        {
            var missing = new List<Subscription>();
            var checkedIds = subscriptions.ToDictionary(s => s, s => s.Id);
            if (kind == RestoreKind.SessionReactivated)
            {
                // Still there? SetPublishingMode with the current mode changes nothing and answers per subscription.
                foreach (var group in subscriptions.GroupBy(s => s.PublishingEnabled))
                {
                    var members = group.ToArray();
                    var response = await client.SendAsync<SetPublishingModeResponse>(new SetPublishingModeRequest { PublishingEnabled = group.Key, SubscriptionIds = members.Select(s => checkedIds[s]).ToArray() }, cancellationToken);
                    missing.AddRange(members.Where((_, i) => i >= response.Results.Length || response.Results[i].IsBad));
                }
            }
            else
            {
                var response = await client.SendAsync<TransferSubscriptionsResponse>(new TransferSubscriptionsRequest { SubscriptionIds = subscriptions.Select(s => checkedIds[s]).ToArray(), SendInitialValues = false }, cancellationToken);
                missing.AddRange(subscriptions.Where((_, i) => i >= response.Results.Length || response.Results[i].StatusCode.IsBad));
            }

            // Half-built by a re-creation that failed part-way: the server may have it, but not its items.
            missing.AddRange(subscriptions.Where(s => s.NeedsRecreate && !missing.Contains(s)));
            var recreated = 0;
            foreach (var subscription in missing)
            {
                var from = subscription.LastPublishTime;
                if (await subscription.RecreateAsync(checkedIds[subscription], cancellationToken,
                        () => QueueGap(subscription, new DataGap(subscription, from, DateTime.UtcNow, GapReason.SubscriptionRecreated, []))))
                {
                    recreated++;
                }
            }

            foreach (var subscription in subscriptions)
            {
                subscription.Touch();
            }

            return recreated > 0 ? RestoreKind.SubscriptionsRecreated : kind;
        }
        finally
        {
            // Publishing resumes when the reconnect loop has checked the connection is still up (Resume).
            _maxInFlight = Math.Max(1, client.Options.MaxPublishRequests);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        await _stopping.CancelAsync();
        _responses.Writer.TryComplete();
        foreach (var task in new[] { _pump, _dispatch, _watchdog })
        {
            if (task is not null)
            {
                await task.ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }

        // In-flight Publish requests end with the channel; their completions may still touch these, so they are left
        // to the garbage collector rather than disposed under them.
    }
}

/// <summary>What the dispatch task handles: a Publish response, or a gap of <see cref="Subscription"/> found elsewhere.</summary>
internal readonly record struct DispatchItem(PublishResponse? Response, Subscription? Subscription, DataGap? Gap);
