using System.Diagnostics;
using System.Threading.Channels;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.OpcPublisher.Output;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using StatusCodes = EdgeApp.OpcUa.Encoding.StatusCodes;

namespace EdgeApp.OpcPublisher.Engine;

/// <summary>What a session knows about its server that every writer's messages carry.</summary>
internal sealed class EndpointContext(string endpointUrl, string publisherId)
{
    public string EndpointUrl { get; } = endpointUrl;

    public string PublisherId { get; } = publisherId;

    public string? ApplicationUri { get; set; }

    public IReadOnlyList<string>? Namespaces { get; set; }
}

/// <summary>
/// One data set writer: one OPC UA subscription and its monitored items, and one loop that turns what the subscription
/// delivers (values, gaps) and heartbeat ticks into data set messages, in order, batches them and hands the encoded
/// messages to the outbox. Changes of the writer's nodes (<see cref="ApplyAsync"/>) add, modify and remove monitored
/// items on the live subscription.
/// </summary>
internal sealed partial class WriterSubscription : IAsyncDisposable
{
    private static readonly TimeSpan TickPeriod = TimeSpan.FromMilliseconds(100);

    private readonly EndpointContext _endpoint;
    private readonly IMessageOutbox _outbox;
    private readonly PublisherMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly Dictionary<string, NodeState> _nodes = new(StringComparer.Ordinal);
    private readonly Channel<object> _inputs = Channel.CreateBounded<object>(new BoundedChannelOptions(16) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });
    private readonly CancellationTokenSource _stopping = new();
    private readonly List<(DataSetMessage Message, string? TraceParent)> _pending = [];
    private volatile NodeState[] _snapshot = [];
    private volatile NodeState[] _heartbeatNodes = [];
    private volatile WriterPlan _plan;
    private volatile WriterInfo _info;
    private Subscription? _subscription;
    private Task _pump = Task.CompletedTask;
    private Task _loop = Task.CompletedTask;
    private Task _ticker = Task.CompletedTask;
    private uint _sequence;
    private uint _lastNotification;
    private ulong _dataSetMessages;
    private bool _keyFramePending;
    private int _pendingValues;
    private long _pendingSince;
    private uint _configVersion;
    private double _bytesPerValue = 200;
    private long _partStamp;

    private readonly double _maxMessageBytes;
    private volatile LoopFailure? _failure;

    public WriterSubscription(WriterPlan plan, EndpointContext endpoint, IMessageOutbox outbox, PublisherMetrics metrics, TimeProvider time, ILogger logger, int maxMessageBytes = 64 * 1024)
    {
        _maxMessageBytes = maxMessageBytes;
        _plan = plan;
        _endpoint = endpoint;
        _outbox = outbox;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _info = MakeInfo(plan);
    }

    public WriterPlan Plan => _plan;

    /// <summary>
    /// Values per message: the group's BatchSize, lowered so a message stays under <see cref="OpcPublisherOptions.MaxMessageBytes"/>
    /// at the bytes per value seen so far.
    /// </summary>
    private int BatchSize => (int)Math.Clamp(_maxMessageBytes / _bytesPerValue, 1, _plan.Group.BatchSize);

    public Subscription? Subscription => _subscription;

    /// <summary>Why processing failed within the last minute (values were dropped), for health; null otherwise.</summary>
    public string? RecentFailure =>
        _failure is { } failure && _time.GetUtcNow() - failure.At < TimeSpan.FromMinutes(1) ? failure.Problem : null;

    /// <summary>The nodes with their status (for diagnostics and health).</summary>
    public IReadOnlyList<NodeState> Nodes => _snapshot;

    /// <summary>Creates the subscription and starts delivering; call once, then <see cref="ApplyAsync"/> for the items.</summary>
    public async Task StartAsync(OpcUaClient client, CancellationToken cancellationToken)
    {
        // Buffer about 100,000 values of notifications (at least 8): a reader that falls further behind loses batches,
        // reported as a gap, rather than the publisher's memory growing with the backlog.
        var capacity = Math.Clamp(100_000 / Math.Max(1, _plan.Nodes.Count), 8, 10_000);
        _subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = _plan.Key.PublishingInterval, StreamCapacity = capacity }, cancellationToken);
        var subscription = _subscription;
        var token = _stopping.Token;

        // The stream starts at its first read: start it before items exist so no initial value is missed.
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pump = Task.Run(() => PumpAsync(subscription, started, token), CancellationToken.None);
        await started.Task;
        _loop = Task.Run(() => RunAsync(token), CancellationToken.None);
        _ticker = Task.Run(() => TickAsync(token), CancellationToken.None);
    }

    /// <summary>
    /// Brings the items in line with <paramref name="plan"/>: removes nodes no longer configured, modifies changed ones,
    /// creates new ones and tries again those not monitored yet (refused before, or the connection was down).
    /// </summary>
    /// <returns>True when every node is monitored.</returns>
    public async Task<bool> ApplyAsync(OpcUaClient client, WriterPlan plan, CancellationToken cancellationToken)
    {
        var subscription = _subscription ?? throw new InvalidOperationException("Start the writer first.");
        var desired = plan.Nodes.ToDictionary(n => n.Key, StringComparer.Ordinal);
        var removed = _nodes.Where(n => !desired.ContainsKey(n.Key)).Select(n => n.Value).ToList();
        var changedSet = removed.Count > 0;
        foreach (var node in removed)
        {
            _nodes.Remove(node.Plan.Key);
        }

        foreach (var (key, nodePlan) in desired)
        {
            if (!_nodes.TryGetValue(key, out var state))
            {
                _nodes[key] = new NodeState(nodePlan);
                changedSet = true;
            }
            else if (!ReferenceEquals(state.Plan, nodePlan))
            {
                if (!state.Plan.SameMonitoring(nodePlan) && state.Item is not null)
                {
                    state.NeedsModify = true;
                }

                changedSet |= state.Plan.FieldName != nodePlan.FieldName;
                state.Plan = nodePlan;
            }
        }

        if (changedSet)
        {
            _configVersion++;
        }

        _plan = plan;
        _info = MakeInfo(plan);
        Publish();

        // Items to make again: the server lost or refused them in a restore (no longer created), or their nsu= id
        // resolves to another namespace index now. Dropped here, created below, and reported per node if refused.
        var items = removed.Where(n => n.Item is not null).Select(n => n.Item!).ToList();
        foreach (var node in _nodes.Values.Where(n => n.Item is { } item && (!item.IsCreated || n.NeedsRecreate)))
        {
            items.Add(node.Item!);
            node.Item = null;
            node.NeedsRecreate = false;
            node.NeedsModify = false;
            node.Status = NodeState.BadWaitingForInitialData;
        }

        if (items.Count > 0)
        {
            await subscription.RemoveItemsAsync(items, cancellationToken);
            LogRemoved(items.Count, plan.Key.ToString());
        }

        var modify = _nodes.Values.Where(n => n.NeedsModify && n.Item is not null).ToList();
        if (modify.Count > 0)
        {
            await subscription.ModifyItemsAsync(modify.Select(n => (n.Item!, Options(n, n.Item!.NodeId))).ToList(), cancellationToken);
            foreach (var node in modify)
            {
                node.NeedsModify = false;
                node.Status = node.Item!.Status;
            }
        }

        await CreateMissingAsync(client, subscription, cancellationToken);
        return _nodes.Values.All(n => n.Item is { IsCreated: true });
    }

    private async Task CreateMissingAsync(OpcUaClient client, Subscription subscription, CancellationToken cancellationToken)
    {
        var missing = _nodes.Values.Where(n => n.Item is null).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        var options = new List<MonitoredItemOptions>(missing.Count);
        var namespaces = await client.GetNamespacesAsync(false, cancellationToken);
        foreach (var node in missing)
        {
            var id = node.Plan.NodeId;
            if (id.NamespaceUri is { } uri)
            {
                var index = Array.IndexOf(namespaces, uri);
                if (index < 0)
                {
                    Refuse(node, StatusCodes.BadNodeIdUnknown, $"the server has no namespace {uri}");
                    continue;
                }

                id = new ExpandedNodeId(WithNamespace(id.NodeId, (ushort)index));
            }

            options.Add(Options(node, id.NodeId));
        }

        if (options.Count == 0)
        {
            return;
        }

        var created = await subscription.AddItemsAsync(options, cancellationToken);
        var good = 0;
        foreach (var item in created)
        {
            var node = (NodeState)item.Tag!;
            if (item.IsCreated)
            {
                node.Item = item;
                node.Status = StatusCodes.Good;
                node.Error = null;
                good++;
            }
            else
            {
                Refuse(node, item.Status, "the server refused to monitor it");
            }
        }

        if (good > 0)
        {
            LogAdded(good, _plan.Key.ToString());
        }
    }

    private void Refuse(NodeState node, StatusCode status, string reason)
    {
        var first = node.Status != status;
        node.Status = status;
        node.Error = $"{node.Plan.Config.Id}: {reason} ({status})";
        if (first)
        {
            _metrics.NodeFailed(UaJson.SymbolOf(status) ?? status.Code.ToString(System.Globalization.CultureInfo.InvariantCulture));
            LogNodeRefused(node.Plan.Config.Id, _plan.Key.ToString(), status.ToString(), reason);
        }
    }

    private static MonitoredItemOptions Options(NodeState node, NodeId nodeId) => new(nodeId)
    {
        SamplingInterval = node.Plan.SamplingInterval,
        QueueSize = node.Plan.QueueSize,
        DiscardOldest = node.Plan.DiscardOldest,
        Filter = node.Plan.Filter,
        IndexRange = node.Plan.Config.IndexRange,
        Tag = node,
    };

    private static NodeId WithNamespace(NodeId id, ushort ns) => id.IdType switch
    {
        IdType.Numeric => new NodeId(id.NumericId, ns),
        IdType.String => new NodeId(id.StringId, ns),
        IdType.Guid => new NodeId(id.GuidId, ns),
        _ => new NodeId(id.OpaqueId, ns),
    };

    private void Publish()
    {
        var nodes = _nodes.Values.ToArray();
        _snapshot = nodes;
        _heartbeatNodes = nodes.Where(n => n.Plan.Heartbeat > TimeSpan.Zero).ToArray();
    }

    private WriterInfo MakeInfo(WriterPlan plan) => new(
        _endpoint.PublisherId, _endpoint.EndpointUrl, _endpoint.ApplicationUri, plan.Key.Group, plan.Name, plan.Ordinal,
        1, _configVersion, plan.ExtensionFields, _endpoint.Namespaces);

    /// <summary>The server's namespace table changed: items resolved from <c>nsu=</c> ids are made again on the next apply.</summary>
    public void NamespacesChanged()
    {
        foreach (var node in _nodes.Values)
        {
            node.NeedsRecreate |= node.Plan.NodeId.NamespaceUri is not null && node.Item is not null;
        }
    }

    /// <summary>The session learned the server's application URI or namespaces (after connecting).</summary>
    public void EndpointChanged() => _info = MakeInfo(_plan);

    private async Task PumpAsync(Subscription subscription, TaskCompletionSource started, CancellationToken token)
    {
        try
        {
            var stream = subscription.ReadNotificationsAsync(token).GetAsyncEnumerator(token);
            await using (stream)
            {
                // MoveNextAsync creates the stream synchronously before it first waits.
                var next = stream.MoveNextAsync();
                started.TrySetResult();
                while (await next)
                {
                    await _inputs.Writer.WriteAsync(stream.Current, token);
                    next = stream.MoveNextAsync();
                }
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
        }
        catch (ChannelClosedException)
        {
            // The writer is being disposed.
        }
        catch (Exception ex)
        {
            LogPumpFailed(ex, _plan.Key.ToString());
        }
        finally
        {
            started.TrySetResult();
        }
    }

    private async Task TickAsync(CancellationToken token)
    {
        using var timer = new PeriodicTimer(TickPeriod, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(token))
            {
                if ((_heartbeatNodes.Length > 0 || _plan.Group.BatchTriggerInterval > TimeSpan.Zero) && _inputs.Reader.Count < 8)
                {
                    _inputs.Writer.TryWrite(Tick.Instance);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// The writer's loop, restarted after an unexpected failure: a loop that stopped would block the pump and silently
    /// lose everything after. What was pending is dropped (counted, a gap) and the next message is a key frame.
    /// </summary>
    private async Task RunAsync(CancellationToken token)
    {
        while (true)
        {
            try
            {
                await ProcessAsync(token);
                return;
            }
            catch (OperationCanceledException) when (token.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                LogLoopFailed(ex, _plan.Key.ToString());
                _failure = new LoopFailure(_time.GetUtcNow(), ex.Message);
                if (_pendingValues > 0)
                {
                    _metrics.Dropped(_pendingValues, "WriterFailed"); // a failed hand-over counted its own values
                }

                _pending.Clear();
                _pendingValues = 0;
                _keyFramePending = true;
            }

            try
            {
                await Task.Delay(TimeSpan.FromSeconds(1), _time, token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task ProcessAsync(CancellationToken token)
    {
        var reader = _inputs.Reader;
        while (await reader.WaitToReadAsync(token))
        {
            while (reader.TryRead(out var input))
            {
                switch (input)
                {
                    case DataChangeBatch batch:
                        OnData(batch);
                        break;
                    case DataGap gap:
                        OnGap(gap);
                        break;
                    case SubscriptionStatusChanged status:
                        LogStatusChanged(_plan.Key.ToString(), status.Status.ToString());
                        break;
                    case Tick:
                        OnHeartbeatTick();
                        break;
                }

                if (_pendingValues >= BatchSize)
                {
                    await FlushAsync(fullOnly: true, token);
                }
            }

            var interval = _plan.Group.BatchTriggerInterval;
            if (_pending.Count > 0 && (interval <= TimeSpan.Zero || _time.GetTimestamp() - _pendingSince >= interval.TotalSeconds * _time.TimestampFrequency))
            {
                await FlushAsync(fullOnly: false, token);
            }
        }

        if (_pending.Count > 0)
        {
            await FlushAsync(fullOnly: false, token);
        }
    }

    private void OnData(DataChangeBatch batch)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        using var activity = StartReceive(batch.Changes.Length);
        var traceParent = activity?.Id;
        _lastNotification = batch.SequenceNumber;

        // Parts of at most a batch of values are made as the values are read (no list of all 10,000 values of a large
        // notification); a node twice in one notification (QueueSize > 1) starts a new part, so a part has a node once.
        var batchSize = BatchSize;
        var part = new List<FieldValue>(Math.Min(batchSize, batch.Changes.Length));
        var stamp = ++_partStamp;
        var skipped = 0;
        var overflows = 0;
        foreach (var change in batch.Changes)
        {
            if (change.Item.Tag is not NodeState node)
            {
                continue;
            }

            node.Last = change.Value;
            if (change.Overflow)
            {
                overflows++;
            }

            if (!node.SeenFirst)
            {
                node.SeenFirst = true;
                if (node.Plan.Config.SkipFirst)
                {
                    skipped++;
                    continue;
                }
            }

            node.LastSentTicks = now.Ticks;
            if (node.PartStamp == stamp || part.Count >= batchSize)
            {
                AddMessage(part, now, traceParent);
                part = new List<FieldValue>(Math.Min(batchSize, batch.Changes.Length));
                stamp = ++_partStamp;
            }

            node.PartStamp = stamp;
            part.Add(Field(node, change.Value));
        }

        if (part.Count > 0 || IsKeyFrameDue())
        {
            AddMessage(part, now, traceParent);
        }

        _metrics.Received(batch.Changes.Length, _plan.Key.Group);
        if (skipped > 0)
        {
            _metrics.SkippedFirst(skipped);
        }

        if (overflows > 0)
        {
            _metrics.Overflow(overflows);
        }
    }

    private void OnGap(DataGap gap)
    {
        _metrics.Gap(gap.Reason.ToString());
        LogGap(_plan.Key.ToString(), gap.Reason.ToString(), gap.From, gap.To, gap.LostSequenceNumbers.Length);

        // PubSub consumers get every node's value again with the next message after a gap.
        _keyFramePending = true;
    }

    private void OnHeartbeatTick()
    {
        var nodes = _heartbeatNodes;
        if (nodes.Length == 0)
        {
            return;
        }

        var now = _time.GetUtcNow().UtcDateTime;
        List<FieldValue>? fields = null;
        foreach (var node in nodes)
        {
            if (node.Last is { } last && now.Ticks - node.LastSentTicks >= node.Plan.Heartbeat.Ticks)
            {
                node.LastSentTicks = now.Ticks;
                (fields ??= []).Add(Field(node, last));
            }
        }

        if (fields is not null)
        {
            _metrics.Heartbeats(fields.Count);
            using var activity = StartReceive(fields.Count, "opc-publisher heartbeat");
            AddMessage(fields, now, activity?.Id);
        }
    }

    private static FieldValue Field(NodeState node, in DataValue value) =>
        new(node.Plan.FieldName, node.Plan.Config.Id, node.Plan.Config.DisplayName, value);

    private bool IsKeyFrameDue() =>
        _plan.Group.Mode == MessagingMode.PubSub && (_keyFramePending || (_plan.KeyFrameCount > 0 && _dataSetMessages % _plan.KeyFrameCount == 0));

    /// <summary>Queues one data set message; a key frame is every node's last value with this message's values over them.</summary>
    private void AddMessage(List<FieldValue> fields, DateTime now, string? traceParent)
    {
        var keyFrame = IsKeyFrameDue();
        if (keyFrame)
        {
            var changed = new HashSet<string>(fields.Select(f => f.FieldName), StringComparer.Ordinal);
            foreach (var node in _snapshot)
            {
                if (node.Last is { } last && !changed.Contains(node.Plan.FieldName))
                {
                    fields.Add(Field(node, last));
                }
            }

            _keyFramePending = false;
        }

        _dataSetMessages++;
        if (_pending.Count == 0)
        {
            _pendingSince = _time.GetTimestamp();
        }

        // A data set message holds at most a batch of values: larger ones (10,000 nodes in one notification) are split.
        // A split key frame is a key frame followed by delta frames, so a consumer that resets on a key frame and then
        // applies deltas in sequence ends with every field.
        var batchSize = BatchSize;
        for (var start = 0; start < fields.Count || start == 0; start += batchSize)
        {
            var part = start == 0 && fields.Count <= batchSize ? fields : fields.GetRange(start, Math.Min(batchSize, fields.Count - start));
            _pending.Add((new DataSetMessage(_info, ++_sequence, keyFrame && start == 0, now, part, _lastNotification), traceParent));
            _pendingValues += part.Count;
            if (fields.Count == 0)
            {
                break;
            }
        }
    }

    /// <summary>Encodes the pending data set messages into messages of at most a batch of values each and hands them over.</summary>
    private async Task FlushAsync(bool fullOnly, CancellationToken token)
    {
        var mode = _plan.Group.Mode;
        var batchSize = BatchSize;
        var encoded = new List<EncodedMessage>();
        var taken = 0;
        while (taken < _pending.Count)
        {
            var values = 0;
            var end = taken;
            while (end < _pending.Count && (end == taken || values + _pending[end].Message.Fields.Count <= batchSize))
            {
                values += _pending[end].Message.Fields.Count;
                end++;
            }

            if (fullOnly && values < batchSize && end == _pending.Count)
            {
                break;
            }

            var group = new List<DataSetMessage>(end - taken);
            for (var i = taken; i < end; i++)
            {
                group.Add(_pending[i].Message);
            }

            var message = MessageEncoders.Encode(mode, group, samplesAsArray: _plan.Group.BatchSize > 1) with { TraceParent = _pending[taken].TraceParent };
            if (message.Values > 0)
            {
                _bytesPerValue = (0.8 * _bytesPerValue) + (0.2 * message.Data.Length / message.Values);
            }

            encoded.Add(message);
            _pendingValues -= values;
            taken = end;
        }

        _pending.RemoveRange(0, taken);
        if (_pending.Count > 0)
        {
            _pendingSince = _time.GetTimestamp();
        }

        if (encoded.Count > 0)
        {
            try
            {
                await _outbox.AddAsync(encoded, token);
            }
            catch (Exception) when (!token.IsCancellationRequested)
            {
                _metrics.Dropped(encoded.Sum(m => m.Values), "WriterFailed");
                throw;
            }
        }
    }

    private static Activity? StartReceive(int values, string name = "opc-publisher receive")
    {
        var activity = PublisherMetrics.ActivitySource.StartActivity(name, ActivityKind.Consumer);
        if (activity is null)
        {
            // Nothing records traces: still give the values a trace id that travels with their message.
            activity = new Activity(name);
            activity.SetIdFormat(ActivityIdFormat.W3C);
            activity.Start();
        }

        activity.SetTag("opcua.values", values);
        return activity;
    }

    public async ValueTask DisposeAsync()
    {
        if (_subscription is { } subscription)
        {
            // Deleting the subscription ends its stream: the pump hands over what was still buffered, then stops.
            await subscription.DisposeAsync();
            await Task.WhenAny(_pump, Task.Delay(TimeSpan.FromSeconds(2)));
        }

        _inputs.Writer.TryComplete();
        await Task.WhenAny(_loop, Task.Delay(TimeSpan.FromSeconds(5)));
        await _stopping.CancelAsync();
        await Task.WhenAll(_pump, _loop, _ticker).ContinueWith(_ => { }, TaskScheduler.Default);
        _stopping.Dispose();
    }

    private sealed class Tick
    {
        public static readonly Tick Instance = new();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Writer {Writer}: monitoring {Count} more nodes")]
    private partial void LogAdded(int count, string writer);

    [LoggerMessage(Level = LogLevel.Information, Message = "Writer {Writer}: stopped monitoring {Count} nodes")]
    private partial void LogRemoved(int count, string writer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Node {Node} of writer {Writer} is not monitored: {Status}, {Reason}; the other nodes go on, it is tried again later")]
    private partial void LogNodeRefused(string node, string writer, string status, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writer {Writer}: data may be missing ({Reason}) from {From:o} to {To:o}, {Lost} notifications lost")]
    private partial void LogGap(string writer, string reason, DateTime from, DateTime to, int lost);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Writer {Writer}: the server reports subscription status {Status}")]
    private partial void LogStatusChanged(string writer, string status);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writer {Writer}: reading notifications failed")]
    private partial void LogPumpFailed(Exception exception, string writer);

    [LoggerMessage(Level = LogLevel.Error, Message = "Writer {Writer}: processing failed; pending values are dropped and the writer goes on")]
    private partial void LogLoopFailed(Exception exception, string writer);

    private sealed record LoopFailure(DateTimeOffset At, string Problem);
}
