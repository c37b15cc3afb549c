using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Server.Subscriptions;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>
/// MonitoredItem service set (Part 4 §5.12): CreateMonitoredItems, ModifyMonitoredItems, SetMonitoringMode,
/// DeleteMonitoredItems. Sampling intervals are revised to whole milliseconds within the server's limits (and not
/// below a variable's MinimumSamplingInterval); items sharing an interval share one sampling timer.
/// </summary>
internal static class MonitoredItemHandlers
{
    public static void Register(ServiceDispatcher dispatcher)
    {
        dispatcher.Register<CreateMonitoredItemsRequest>(CreateMonitoredItems, SessionRequirement.Activated);
        dispatcher.Register<ModifyMonitoredItemsRequest>(ModifyMonitoredItems, SessionRequirement.Activated);
        dispatcher.Register<SetMonitoringModeRequest>(SetMonitoringMode, SessionRequirement.Activated);
        dispatcher.Register<DeleteMonitoredItemsRequest>(DeleteMonitoredItems, SessionRequirement.Activated);
    }

    private static ValueTask<IServiceResponse> CreateMonitoredItems(RequestContext context, CreateMonitoredItemsRequest request)
    {
        var server = context.Server;
        var limits = server.Options.Limits;
        SubscriptionHandlers.CheckCount(request.ItemsToCreate.Length, limits.MaxMonitoredItemsPerCall);
        CheckTimestamps(request.TimestampsToReturn);
        var manager = server.Subscriptions;
        var subscription = manager.Get(context.Session!, request.SubscriptionId);
        var results = new MonitoredItemCreateResult[request.ItemsToCreate.Length];
        var created = new List<ServerMonitoredItem>(results.Length);
        lock (subscription.Gate)
        {
            ThrowIfDeleted(subscription);
            for (var i = 0; i < results.Length; i++)
            {
                var itemRequest = request.ItemsToCreate[i];
                var status = Validate(server.AddressSpace, itemRequest.ItemToMonitor, itemRequest.MonitoringMode, out var node);
                var filter = default(FilterSettings);
                if (status.IsGood)
                {
                    status = ValidateFilter(server.AddressSpace, node!, itemRequest.ItemToMonitor.AttributeId, itemRequest.RequestedParameters.Filter, out filter);
                }

                if (status.IsGood && subscription.Items.Count >= limits.MaxMonitoredItemsPerSubscription)
                {
                    status = StatusCodes.BadTooManyMonitoredItems;
                }

                if (status.IsGood && !manager.TryReserveItems(1))
                {
                    status = StatusCodes.BadTooManyMonitoredItems;
                }

                if (status.IsBad)
                {
                    results[i] = new MonitoredItemCreateResult { StatusCode = status };
                    continue;
                }

                var item = new ServerMonitoredItem(subscription, manager.NextItemId(), node!, itemRequest.ItemToMonitor)
                {
                    Mode = itemRequest.MonitoringMode,
                    Timestamps = request.TimestampsToReturn,
                };
                Apply(subscription, item, itemRequest.RequestedParameters, filter, limits);
                subscription.Items[item.Id] = item;
                SampleInitial(subscription, item);
                created.Add(item);
                results[i] = new MonitoredItemCreateResult
                {
                    MonitoredItemId = item.Id,
                    RevisedSamplingInterval = item.SamplingInterval,
                    RevisedQueueSize = item.QueueSize,
                };
            }
        }

        AddToSampler(manager, subscription, created);
        return ValueTask.FromResult<IServiceResponse>(new CreateMonitoredItemsResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> ModifyMonitoredItems(RequestContext context, ModifyMonitoredItemsRequest request)
    {
        var server = context.Server;
        var limits = server.Options.Limits;
        SubscriptionHandlers.CheckCount(request.ItemsToModify.Length, limits.MaxMonitoredItemsPerCall);
        CheckTimestamps(request.TimestampsToReturn);
        var subscription = server.Subscriptions.Get(context.Session!, request.SubscriptionId);
        var results = new MonitoredItemModifyResult[request.ItemsToModify.Length];
        var moved = new List<ServerMonitoredItem>();
        var movedFrom = new List<ServerMonitoredItem>();
        lock (subscription.Gate)
        {
            ThrowIfDeleted(subscription);
            for (var i = 0; i < results.Length; i++)
            {
                var modify = request.ItemsToModify[i];
                if (!subscription.Items.TryGetValue(modify.MonitoredItemId, out var item))
                {
                    results[i] = new MonitoredItemModifyResult { StatusCode = StatusCodes.BadMonitoredItemIdInvalid };
                    continue;
                }

                var status = ValidateFilter(server.AddressSpace, item.Node, item.AttributeId, modify.RequestedParameters.Filter, out var filter);
                if (status.IsBad)
                {
                    results[i] = new MonitoredItemModifyResult { StatusCode = status };
                    continue;
                }

                var before = item.SamplingInterval;
                item.Timestamps = request.TimestampsToReturn;
                var interval = ReviseSamplingInterval(modify.RequestedParameters.SamplingInterval, subscription.Parameters.PublishingInterval, item.Node, limits);
                if (interval != before && item.Variable is not null)
                {
                    // Leave the old sampling group before the key changes; join the new one after.
                    movedFrom.Add(item);
                }

                results[i] = new MonitoredItemModifyResult { RevisedSamplingInterval = interval };
            }

            if (movedFrom.Count > 0)
            {
                server.Subscriptions.Sampler.Remove(movedFrom);
            }

            for (var i = 0; i < results.Length; i++)
            {
                var modify = request.ItemsToModify[i];
                if (results[i].StatusCode.IsBad || !subscription.Items.TryGetValue(modify.MonitoredItemId, out var item))
                {
                    continue;
                }

                ValidateFilter(server.AddressSpace, item.Node, item.AttributeId, modify.RequestedParameters.Filter, out var filter);
                Apply(subscription, item, modify.RequestedParameters, filter, limits);
                results[i].RevisedQueueSize = item.QueueSize;
                if (movedFrom.Contains(item))
                {
                    moved.Add(item);
                }
            }
        }

        if (moved.Count > 0)
        {
            AddToSampler(server.Subscriptions, subscription, moved);
        }

        return ValueTask.FromResult<IServiceResponse>(new ModifyMonitoredItemsResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> SetMonitoringMode(RequestContext context, SetMonitoringModeRequest request)
    {
        SubscriptionHandlers.CheckCount(request.MonitoredItemIds.Length, context.Server.Options.Limits.MaxMonitoredItemsPerCall);
        if (request.MonitoringMode is < MonitoringMode.Disabled or > MonitoringMode.Reporting)
        {
            throw new OpcUaException(StatusCodes.BadMonitoringModeInvalid);
        }

        var subscription = context.Server.Subscriptions.Get(context.Session!, request.SubscriptionId);
        var results = new StatusCode[request.MonitoredItemIds.Length];
        lock (subscription.Gate)
        {
            ThrowIfDeleted(subscription);
            for (var i = 0; i < results.Length; i++)
            {
                if (!subscription.Items.TryGetValue(request.MonitoredItemIds[i], out var item))
                {
                    results[i] = StatusCodes.BadMonitoredItemIdInvalid;
                    continue;
                }

                var previous = item.Mode;
                item.Mode = request.MonitoringMode;
                if (item.Mode == MonitoringMode.Disabled)
                {
                    item.ReleaseQueue();
                    item.ResetLast();
                }
                else if (previous == MonitoringMode.Disabled)
                {
                    SampleInitial(subscription, item);
                }

                subscription.MarkReady(item);
            }
        }

        return ValueTask.FromResult<IServiceResponse>(new SetMonitoringModeResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> DeleteMonitoredItems(RequestContext context, DeleteMonitoredItemsRequest request)
    {
        SubscriptionHandlers.CheckCount(request.MonitoredItemIds.Length, context.Server.Options.Limits.MaxMonitoredItemsPerCall);
        var manager = context.Server.Subscriptions;
        var subscription = manager.Get(context.Session!, request.SubscriptionId);
        var results = new StatusCode[request.MonitoredItemIds.Length];
        var removed = new List<ServerMonitoredItem>();
        lock (subscription.Gate)
        {
            ThrowIfDeleted(subscription);
            for (var i = 0; i < results.Length; i++)
            {
                if (subscription.Items.Remove(request.MonitoredItemIds[i], out var item))
                {
                    item.Deleted = true;
                    item.ReleaseQueue();
                    subscription.ReservedQueueSize -= item.QueueSize;
                    removed.Add(item);
                }
                else
                {
                    results[i] = StatusCodes.BadMonitoredItemIdInvalid;
                }
            }
        }

        manager.Sampler.Remove(removed);
        manager.ReleaseItems(removed.Count);
        return ValueTask.FromResult<IServiceResponse>(new DeleteMonitoredItemsResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    /// <summary>The subscription was deleted (expired, session closed) after the caller found it (caller holds its lock).</summary>
    private static void ThrowIfDeleted(Subscription subscription)
    {
        if (subscription.Deleted)
        {
            throw new OpcUaException(StatusCodes.BadSubscriptionIdInvalid, $"Subscription {subscription.Id} was deleted.");
        }
    }

    /// <summary>
    /// Joins the sampling groups after the subscription's lock is released; a delete that ran meanwhile (and removed
    /// what it saw) is caught up with here, so no item is left sampling for a deleted subscription.
    /// </summary>
    private static void AddToSampler(SubscriptionManager manager, Subscription subscription, List<ServerMonitoredItem> items)
    {
        manager.Sampler.Add(items);
        if (subscription.Deleted)
        {
            manager.Sampler.Remove(items);
        }
    }

    private static void CheckTimestamps(TimestampsToReturn timestamps)
    {
        if (timestamps is < TimestampsToReturn.Source or > TimestampsToReturn.Neither)
        {
            throw new OpcUaException(StatusCodes.BadTimestampsToReturnInvalid);
        }
    }

    private static StatusCode Validate(NodeTable nodes, ReadValueId itemToMonitor, MonitoringMode mode, out Node? node)
    {
        node = null;
        if (mode is < MonitoringMode.Disabled or > MonitoringMode.Reporting)
        {
            return StatusCodes.BadMonitoringModeInvalid;
        }

        if (!nodes.TryGetNode(itemToMonitor.NodeId, out var found))
        {
            return StatusCodes.BadNodeIdUnknown;
        }

        if (!found.TryReadAttribute(itemToMonitor.AttributeId, out _))
        {
            return StatusCodes.BadAttributeIdInvalid;
        }

        if (!itemToMonitor.DataEncoding.IsNull && !(itemToMonitor.DataEncoding.NamespaceIndex == 0 && itemToMonitor.DataEncoding.Name == "Default Binary"))
        {
            return StatusCodes.BadDataEncodingInvalid;
        }

        if (itemToMonitor.IndexRange is { Length: > 0 } range && (itemToMonitor.AttributeId != AttributeId.Value || !IndexRange.TryParse(range, out _, out _)))
        {
            return StatusCodes.BadIndexRangeInvalid;
        }

        if (itemToMonitor.AttributeId == AttributeId.Value && found is VariableNode variable && (variable.AccessLevel & AccessLevel.CurrentRead) == 0)
        {
            return StatusCodes.BadNotReadable;
        }

        node = found;
        return StatusCodes.Good;
    }

    private readonly record struct FilterSettings(DataChangeTrigger Trigger, double Deadband);

    /// <summary>DataChangeFilter checks of Part 4 §7.22.2; event and aggregate filters are not supported.</summary>
    private static StatusCode ValidateFilter(NodeTable nodes, Node node, AttributeId attribute, ExtensionObject? filter, out FilterSettings settings)
    {
        settings = new FilterSettings(DataChangeTrigger.StatusValue, 0);
        if (filter is null || filter.IsNull)
        {
            return StatusCodes.Good;
        }

        if (filter.Body is not DataChangeFilter dataChange)
        {
            return StatusCodes.BadMonitoredItemFilterUnsupported;
        }

        if (attribute != AttributeId.Value || node is not VariableNode variable)
        {
            return StatusCodes.BadFilterNotAllowed;
        }

        if (dataChange.Trigger is < DataChangeTrigger.Status or > DataChangeTrigger.StatusValueTimestamp)
        {
            return StatusCodes.BadMonitoredItemFilterInvalid;
        }

        switch (dataChange.DeadbandType)
        {
            case DeadbandType.None:
                settings = new FilterSettings(dataChange.Trigger, 0);
                return StatusCodes.Good;
            case DeadbandType.Absolute:
                if (!double.IsFinite(dataChange.DeadbandValue) || dataChange.DeadbandValue < 0)
                {
                    return StatusCodes.BadDeadbandFilterInvalid;
                }

                if (!IsNumeric(variable))
                {
                    return StatusCodes.BadFilterNotAllowed;
                }

                settings = new FilterSettings(dataChange.Trigger, dataChange.DeadbandValue);
                return StatusCodes.Good;
            case DeadbandType.Percent:
                if (!double.IsFinite(dataChange.DeadbandValue) || dataChange.DeadbandValue is < 0 or > 100)
                {
                    return StatusCodes.BadDeadbandFilterInvalid;
                }

                if (!IsNumeric(variable) || FindEuRange(nodes, variable) is not { } range)
                {
                    return StatusCodes.BadFilterNotAllowed;
                }

                settings = new FilterSettings(dataChange.Trigger, dataChange.DeadbandValue / 100 * Math.Abs(range.High - range.Low));
                return StatusCodes.Good;
            default:
                return StatusCodes.BadDeadbandFilterInvalid;
        }
    }

    private static bool IsNumeric(VariableNode variable)
    {
        var type = variable.DataType;
        if (type.NamespaceIndex != 0 || type.IdType != IdType.Numeric)
        {
            return false;
        }

        if (type.NumericId == DataTypeIds.BaseDataType)
        {
            // "Any": a deadband makes sense only while it holds a number (a non-numeric value later counts as changed).
            var value = variable.ReadValue().Value;
            return value.Type is >= BuiltInType.SByte and <= BuiltInType.Double;
        }

        return type.NumericId is (>= 2 and <= 11) or DataTypeIds.Number or DataTypeIds.Integer or DataTypeIds.UInteger
            or DataTypeIds.Decimal or DataTypeIds.Duration;
    }

    /// <summary>The EURange property of an AnalogItem (Part 8 §5.3.2), which a percent deadband is relative to.</summary>
    private static Services.Range? FindEuRange(NodeTable nodes, VariableNode variable)
    {
        foreach (var reference in variable.References.Snapshot())
        {
            if (!reference.IsInverse && reference.ReferenceTypeId == new NodeId(ReferenceTypeIds.HasProperty) &&
                nodes.TryGetNode(reference.TargetId, out var property) && property.BrowseName.Name == "EURange" && property is VariableNode euRange)
            {
                return euRange.ReadValue().Value.Value switch
                {
                    ExtensionObject { Body: Services.Range range } => range,
                    Services.Range range => range,
                    _ => null,
                };
            }
        }

        return null;
    }

    /// <summary>Applies the revised parameters (caller holds the subscription's lock).</summary>
    private static void Apply(Subscription subscription, ServerMonitoredItem item, MonitoringParameters parameters, FilterSettings filter, ServerLimits limits)
    {
        item.ClientHandle = parameters.ClientHandle;
        item.SamplingInterval = ReviseSamplingInterval(parameters.SamplingInterval, subscription.Parameters.PublishingInterval, item.Node, limits);

        // Queue sizes are revised so that the subscription's items together fit MaxQueuedValuesPerSubscription.
        var others = subscription.ReservedQueueSize - (subscription.Items.ContainsKey(item.Id) ? item.QueueSize : 0);
        var room = Math.Max(1, limits.MaxQueuedValuesPerSubscription - others);
        var queueSize = (uint)Math.Min(ReviseQueueSize(parameters.QueueSize, limits), room);
        subscription.ReservedQueueSize = others + queueSize;
        item.SetQueueSize(queueSize);
        item.DiscardOldest = parameters.DiscardOldest;
        item.Trigger = filter.Trigger;
        item.Deadband = filter.Deadband;
    }

    /// <summary>-1: the publishing interval; 0 or below the minimum: the fastest supported; rounded up to the sampler's grid (<see cref="OnGrid"/>).</summary>
    internal static int ReviseSamplingInterval(double requested, double publishingInterval, Node node, ServerLimits limits)
    {
        var interval = requested < 0 || double.IsNaN(requested) ? publishingInterval : requested;
        interval = Math.Max(interval, limits.MinSamplingInterval.TotalMilliseconds);
        if (node is VariableNode { MinimumSamplingInterval: > 0 } variable)
        {
            interval = Math.Max(interval, variable.MinimumSamplingInterval);
        }

        interval = Math.Min(interval, limits.MaxSamplingInterval.TotalMilliseconds);
        return Math.Min(OnGrid((int)Math.Ceiling(interval)), (int)Math.Ceiling(limits.MaxSamplingInterval.TotalMilliseconds));
    }

    /// <summary>
    /// Rounds up to the intervals the sampler offers, so a client cannot create a timer per distinct millisecond:
    /// below 10 ms as is, then steps of 10 ms to 100 ms, 50 ms to 1 s, 250 ms to 10 s, 5 s to 1 min, whole minutes.
    /// </summary>
    internal static int OnGrid(int ms) => ms switch
    {
        < 10 => ms,
        <= 100 => RoundUp(ms, 10),
        <= 1_000 => RoundUp(ms, 50),
        <= 10_000 => RoundUp(ms, 250),
        <= 60_000 => RoundUp(ms, 5_000),
        _ => (int)Math.Min(int.MaxValue, (ms + 59_999L) / 60_000 * 60_000),
    };

    private static int RoundUp(int value, int step) => (value + step - 1) / step * step;

    internal static uint ReviseQueueSize(uint requested, ServerLimits limits) => Math.Clamp(requested, 1u, Math.Max(1u, limits.MaxQueueSize));

    /// <summary>The first value of a new or re-enabled item (Part 4 §5.12.1.2), queued at once (caller holds the lock).</summary>
    private static void SampleInitial(Subscription subscription, ServerMonitoredItem item)
    {
        if (item.Mode == MonitoringMode.Disabled)
        {
            return;
        }

        item.ResetLast();
        DataValue value;
        if (item.Variable is { } variable)
        {
            item.LastChangeCount = variable.ChangeCount;
            try
            {
                value = variable.ReadValue();
            }
#pragma warning disable CA1031 // A failing ValueSource gives a bad first value, not a failed service call.
            catch (Exception)
#pragma warning restore CA1031
            {
                value = new DataValue(StatusCodes.BadInternalError);
            }

            if (item.IndexRange is { } range)
            {
                value = SamplingScheduler.ApplyRange(value, range);
            }
        }
        else
        {
            value = item.Node.TryReadAttribute(item.AttributeId, out var attribute)
                ? new DataValue(attribute, default, default, DateTime.UtcNow)
                : new DataValue(StatusCodes.BadAttributeIdInvalid);
        }

        subscription.OnSample(item, in value);
    }
}
