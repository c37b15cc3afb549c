using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server;

/// <summary>What a service handler knows about the request it serves.</summary>
public sealed class RequestContext
{
    public required OpcUaServer Server { get; init; }

    public required uint ChannelId { get; init; }

    public required uint RequestId { get; init; }

    /// <summary>The EndpointUrl the client gave in Hello (used to answer with the host name it dialled).</summary>
    public string? EndpointUrl { get; init; }

    /// <summary>Cancelled when the request's connection closes (parked Publish requests give up then).</summary>
    public CancellationToken ConnectionClosed { get; init; }

    /// <summary>The caller's session, resolved by the dispatcher for services that need one.</summary>
    public ServerSession? Session { get; internal set; }
}

/// <summary>What a service needs before its handler runs.</summary>
public enum SessionRequirement
{
    /// <summary>Discovery and CreateSession: no session.</summary>
    None,

    /// <summary>ActivateSession and CloseSession: a session created on this channel.</summary>
    Created,

    /// <summary>Everything else: an activated session.</summary>
    Activated,
}

/// <summary>Serves one request; may complete later (part 2's Publish parks until notifications are ready).</summary>
public delegate ValueTask<IServiceResponse> ServiceHandler(RequestContext context, IServiceRequest request);

/// <summary>
/// Routes decoded requests to handlers by request type, after checking the session. Handlers are registered once at
/// start-up (part 2 adds the subscription service set here), so dispatch is a dictionary lookup and a delegate call.
/// Every failure becomes a ServiceFault; nothing a client sends escapes as an exception.
/// </summary>
public sealed class ServiceDispatcher
{
    private readonly Dictionary<Type, (ServiceHandler Handler, SessionRequirement Requirement)> _handlers = [];

    public void Register<TRequest>(Func<RequestContext, TRequest, ValueTask<IServiceResponse>> handler, SessionRequirement requirement)
        where TRequest : IServiceRequest =>
        _handlers[typeof(TRequest)] = ((context, request) => handler(context, (TRequest)request), requirement);

    public bool IsRegistered(Type requestType) => _handlers.ContainsKey(requestType);

    /// <summary>The handler registered for <typeparamref name="TRequest"/>, to wrap it (diagnostics, fault injection).</summary>
    public ServiceHandler? HandlerFor<TRequest>()
        where TRequest : IServiceRequest => _handlers.TryGetValue(typeof(TRequest), out var registration) ? registration.Handler : null;

    public ValueTask<IServiceResponse> DispatchAsync(RequestContext context, IServiceRequest request)
    {
        if (!_handlers.TryGetValue(request.GetType(), out var registration))
        {
            return ValueTask.FromResult<IServiceResponse>(Fault(request, StatusCodes.BadServiceUnsupported));
        }

        try
        {
            if (registration.Requirement != SessionRequirement.None)
            {
                var status = ResolveSession(context, request.RequestHeader, registration.Requirement);
                if (status.IsBad)
                {
                    return ValueTask.FromResult<IServiceResponse>(Fault(request, status));
                }
            }

            var pending = registration.Handler(context, request);
            return pending.IsCompletedSuccessfully ? pending : AwaitAsync(pending, request);
        }
        catch (Exception ex)
        {
            return ValueTask.FromResult<IServiceResponse>(Fault(request, StatusOf(ex)));
        }
    }

    private static StatusCode ResolveSession(RequestContext context, RequestHeader header, SessionRequirement requirement)
    {
        if (!context.Server.Sessions.TryGet(header.AuthenticationToken, out var session))
        {
            return StatusCodes.BadSessionIdInvalid;
        }

        if (session.ChannelId != context.ChannelId && requirement == SessionRequirement.Activated)
        {
            return StatusCodes.BadSecureChannelIdInvalid;
        }

        if (requirement == SessionRequirement.Activated && !session.IsActivated)
        {
            return StatusCodes.BadSessionNotActivated;
        }

        session.Touch();
        context.Session = session;
        return StatusCodes.Good;
    }

    private static async ValueTask<IServiceResponse> AwaitAsync(ValueTask<IServiceResponse> pending, IServiceRequest request)
    {
        try
        {
            return await pending;
        }
        catch (Exception ex)
        {
            return Fault(request, StatusOf(ex));
        }
    }

    private static StatusCode StatusOf(Exception ex) => ex switch
    {
        OpcUaException ua => ua.StatusCode,
        OperationCanceledException => StatusCodes.BadTimeout,
        _ => StatusCodes.BadInternalError,
    };

    public static ServiceFault Fault(IServiceRequest request, StatusCode status) =>
        new() { ResponseHeader = ResponseHeader.For(request.RequestHeader, status) };
}
