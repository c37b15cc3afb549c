using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.Subscriptions;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>
/// Subscription service set (Part 4 §5.13): CreateSubscription, ModifySubscription, SetPublishingMode, Publish,
/// Republish, TransferSubscriptions, DeleteSubscriptions.
/// </summary>
internal static class SubscriptionHandlers
{
    public static void Register(ServiceDispatcher dispatcher)
    {
        dispatcher.Register<CreateSubscriptionRequest>(CreateSubscription, SessionRequirement.Activated);
        dispatcher.Register<ModifySubscriptionRequest>(ModifySubscription, SessionRequirement.Activated);
        dispatcher.Register<SetPublishingModeRequest>(SetPublishingMode, SessionRequirement.Activated);
        dispatcher.Register<PublishRequest>(Publish, SessionRequirement.Activated);
        dispatcher.Register<RepublishRequest>(Republish, SessionRequirement.Activated);
        dispatcher.Register<TransferSubscriptionsRequest>(TransferSubscriptions, SessionRequirement.Activated);
        dispatcher.Register<DeleteSubscriptionsRequest>(DeleteSubscriptions, SessionRequirement.Activated);
    }

    private static ValueTask<IServiceResponse> Done(IServiceResponse response) => ValueTask.FromResult(response);

    private static ValueTask<IServiceResponse> CreateSubscription(RequestContext context, CreateSubscriptionRequest request)
    {
        var manager = context.Server.Subscriptions;
        var parameters = manager.Revise(request.RequestedPublishingInterval, request.RequestedLifetimeCount, request.RequestedMaxKeepAliveCount, request.MaxNotificationsPerPublish, request.Priority);
        var subscription = manager.Create(context.Session!, parameters, request.PublishingEnabled);
        return Done(new CreateSubscriptionResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            SubscriptionId = subscription.Id,
            RevisedPublishingInterval = parameters.PublishingInterval,
            RevisedLifetimeCount = parameters.LifetimeCount,
            RevisedMaxKeepAliveCount = parameters.MaxKeepAliveCount,
        });
    }

    private static ValueTask<IServiceResponse> ModifySubscription(RequestContext context, ModifySubscriptionRequest request)
    {
        var manager = context.Server.Subscriptions;
        var subscription = manager.Get(context.Session!, request.SubscriptionId);
        var parameters = manager.Revise(request.RequestedPublishingInterval, request.RequestedLifetimeCount, request.RequestedMaxKeepAliveCount, request.MaxNotificationsPerPublish, request.Priority);
        subscription.Modify(parameters);
        return Done(new ModifySubscriptionResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            RevisedPublishingInterval = parameters.PublishingInterval,
            RevisedLifetimeCount = parameters.LifetimeCount,
            RevisedMaxKeepAliveCount = parameters.MaxKeepAliveCount,
        });
    }

    private static ValueTask<IServiceResponse> SetPublishingMode(RequestContext context, SetPublishingModeRequest request)
    {
        CheckCount(request.SubscriptionIds.Length, int.MaxValue);
        var session = context.Session!;
        var results = new StatusCode[request.SubscriptionIds.Length];
        for (var i = 0; i < results.Length; i++)
        {
            if (session.Subscriptions.TryGetValue(request.SubscriptionIds[i], out var subscription))
            {
                lock (subscription.Gate)
                {
                    subscription.PublishingEnabled = request.PublishingEnabled;
                }

                subscription.ResetLifetime();
            }
            else
            {
                results[i] = StatusCodes.BadSubscriptionIdInvalid;
            }
        }

        return Done(new SetPublishingModeResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> DeleteSubscriptions(RequestContext context, DeleteSubscriptionsRequest request)
    {
        CheckCount(request.SubscriptionIds.Length, int.MaxValue);
        var session = context.Session!;
        var results = new StatusCode[request.SubscriptionIds.Length];
        for (var i = 0; i < results.Length; i++)
        {
            if (session.Subscriptions.TryGetValue(request.SubscriptionIds[i], out var subscription))
            {
                context.Server.Subscriptions.Delete(subscription);
            }
            else
            {
                results[i] = StatusCodes.BadSubscriptionIdInvalid;
            }
        }

        return Done(new DeleteSubscriptionsResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> TransferSubscriptions(RequestContext context, TransferSubscriptionsRequest request)
    {
        CheckCount(request.SubscriptionIds.Length, int.MaxValue);
        var results = request.SubscriptionIds.Select(id => context.Server.Subscriptions.Transfer(context.Session!, id, request.SendInitialValues)).ToArray();
        return Done(new TransferSubscriptionsResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> Republish(RequestContext context, RepublishRequest request)
    {
        var subscription = context.Server.Subscriptions.Get(context.Session!, request.SubscriptionId);
        var message = subscription.FindForRepublish(request.RetransmitSequenceNumber)
            ?? throw new OpcUaException(StatusCodes.BadMessageNotAvailable, $"Message {request.RetransmitSequenceNumber} is no longer available.");
        return Done(new RepublishResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Encoded = message });
    }

    /// <summary>
    /// Publish (Part 4 §5.13.5): acknowledge, then answer at once from a late subscription or a status notice, else park
    /// the request until a publishing cycle has something to send, its TimeoutHint passes or its connection closes.
    /// </summary>
    private static ValueTask<IServiceResponse> Publish(RequestContext context, PublishRequest request)
    {
        var session = context.Session!;
        var manager = context.Server.Subscriptions;
        var acks = request.SubscriptionAcknowledgements;
        var results = new StatusCode[acks.Length];
        for (var i = 0; i < acks.Length; i++)
        {
            results[i] = session.Subscriptions.TryGetValue(acks[i].SubscriptionId, out var acked)
                ? acked.Acknowledge(acks[i].SequenceNumber)
                : StatusCodes.BadSubscriptionIdInvalid;
        }

        if (session.StatusNotices.TryDequeue(out var notice))
        {
            return Done(SubscriptionManager.NoticeResponse(request.RequestHeader, results, notice));
        }

        if (session.Subscriptions.IsEmpty)
        {
            throw new OpcUaException(StatusCodes.BadNoSubscription, "The session has no subscriptions.");
        }

        var pending = new PendingPublish(request.RequestHeader, results, context.ChannelId);
        var subscriptions = PublishOrder(session);
        foreach (var subscription in subscriptions)
        {
            // Any Publish of the session counts for every subscription's lifetime (Part 4 §5.13.1.1).
            subscription.ResetLifetime();
        }

        foreach (var subscription in subscriptions)
        {
            if (subscription.TryPublishLate(pending, out var response))
            {
                return Done(response!);
            }
        }

        // Register for the connection's close before parking: a request completed in between cannot leak it.
        if (context.ConnectionClosed.CanBeCanceled)
        {
            pending.ConnectionRegistration = context.ConnectionClosed.Register(static state =>
            {
                var (queue, p) = ((PublishQueue, PendingPublish))state!;
                if (queue.Remove(p))
                {
                    p.Fail(StatusCodes.BadSecureChannelClosed);
                }
            }, (session.PublishQueue, pending));
        }

        var evicted = session.PublishQueue.Enqueue(pending, manager.Limits.MaxPublishRequestsPerSession);
        evicted?.Fail(StatusCodes.BadTooManyPublishRequests);
        if (context.ConnectionClosed.IsCancellationRequested && session.PublishQueue.Remove(pending))
        {
            pending.Fail(StatusCodes.BadSecureChannelClosed);
        }

        // A subscription may have become late between the check above and parking: let it take the request now.
        foreach (var subscription in subscriptions)
        {
            subscription.ServeQueued();
        }

        SubscriptionManager.DeliverNotices(session);
        return new ValueTask<IServiceResponse>(pending.Task);
    }

    /// <summary>
    /// Who answers a Publish first: subscriptions whose keep-alive is due (cheap, and their clients' watchdogs wait for
    /// them), then by priority; equal priorities take turns, so one with a backlog cannot starve the others.
    /// </summary>
    private static Subscription[] PublishOrder(ServerSession session)
    {
        var subscriptions = session.Subscriptions.Values.ToArray();
        if (subscriptions.Length <= 1)
        {
            return subscriptions;
        }

        var turn = session.NextPublishTurn();
        return [.. subscriptions
            .OrderByDescending(s => s.IsKeepAliveDue)
            .ThenByDescending(s => s.Parameters.Priority)
            .ThenBy(s => (s.Id ^ 0x9E37_79B9u) * 0x85EB_CA6Bu + turn * 0x9E37_79B9u)];
    }

    internal static void CheckCount(int count, int max)
    {
        if (count == 0)
        {
            throw new OpcUaException(StatusCodes.BadNothingToDo, "No operations in the request.");
        }

        if (count > max)
        {
            throw new OpcUaException(StatusCodes.BadTooManyOperations, $"At most {max} operations per call.");
        }
    }
}
