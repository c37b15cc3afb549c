using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>Session service set (Part 4 §5.6): CreateSession, ActivateSession (Anonymous, UserName), CloseSession.</summary>
internal static class SessionHandlers
{
    public static void Register(ServiceDispatcher dispatcher)
    {
        dispatcher.Register<CreateSessionRequest>(CreateSession, SessionRequirement.None);
        dispatcher.Register<ActivateSessionRequest>(ActivateSession, SessionRequirement.Created);
        dispatcher.Register<CloseSessionRequest>(CloseSession, SessionRequirement.Created);
    }

    private static ValueTask<IServiceResponse> CreateSession(RequestContext context, CreateSessionRequest request)
    {
        var server = context.Server;
        var session = server.Sessions.Create(request.SessionName, request.RequestedSessionTimeout, context.ChannelId);
        session.MaxResponseMessageSize = request.MaxResponseMessageSize;
        session.ClientApplicationUri = request.ClientDescription?.ApplicationUri;
        return ValueTask.FromResult<IServiceResponse>(new CreateSessionResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            SessionId = session.SessionId,
            AuthenticationToken = session.AuthenticationToken,
            RevisedSessionTimeout = session.Timeout.TotalMilliseconds,
            ServerNonce = session.ServerNonce,
            ServerEndpoints = DiscoveryHandlers.Endpoints(server, request.EndpointUrl ?? context.EndpointUrl),
            MaxRequestMessageSize = server.Options.Limits.Transport.MaxMessageSize,
        });
    }

    private static ValueTask<IServiceResponse> ActivateSession(RequestContext context, ActivateSessionRequest request)
    {
        var session = context.Session!;
        var userName = Authenticate(context.Server.Options, request.UserIdentityToken);
        if (session.ChannelId != context.ChannelId)
        {
            // Reconnection (Part 4 §5.6.3): an activated session moves to the new channel when the same user activates
            // it there. With SecurityPolicy None there is no channel signature to check; secure policies add one here.
            if (!session.IsActivated || session.UserName != userName)
            {
                throw new OpcUaException(StatusCodes.BadSecureChannelIdInvalid, "Session belongs to another secure channel.");
            }

            var oldChannel = session.ChannelId;
            session.ChannelId = context.ChannelId;
            foreach (var stale in session.PublishQueue.RemoveWhere(p => p.ChannelId == oldChannel))
            {
                stale.Fail(StatusCodes.BadSecureChannelClosed);
            }
        }

        session.UserName = userName;
        session.IsActivated = true;
        session.ServerNonce = ServerSession.NewNonce();
        return ValueTask.FromResult<IServiceResponse>(new ActivateSessionResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            ServerNonce = session.ServerNonce,
        });
    }

    /// <summary>Returns the user name ("anonymous" for anonymous) or throws the status Part 4 §5.6.3 prescribes.</summary>
    private static string Authenticate(ServerOptions options, ExtensionObject? token)
    {
        switch (token?.Body)
        {
            case null when token is null || token.IsNull:
            case AnonymousIdentityToken:
                return options.AllowAnonymous
                    ? "anonymous"
                    : throw new OpcUaException(StatusCodes.BadIdentityTokenRejected, "Anonymous access is disabled.");
            case UserNameIdentityToken user:
                if (options.UserValidator is null)
                {
                    throw new OpcUaException(StatusCodes.BadIdentityTokenRejected, "User names are not accepted.");
                }

                if (user.EncryptionAlgorithm is { Length: > 0 })
                {
                    throw new OpcUaException(StatusCodes.BadIdentityTokenInvalid, "Encrypted passwords need a secure policy.");
                }

                var password = user.Password is null ? string.Empty : System.Text.Encoding.UTF8.GetString(user.Password);
                return user.UserName is { Length: > 0 } name && options.UserValidator(name, password)
                    ? name
                    : throw new OpcUaException(StatusCodes.BadUserAccessDenied, "Unknown user or wrong password.");
            default:
                throw new OpcUaException(StatusCodes.BadIdentityTokenInvalid, $"Identity token {token!.TypeId} is not supported.");
        }
    }

    private static ValueTask<IServiceResponse> CloseSession(RequestContext context, CloseSessionRequest request)
    {
        if (context.Session!.ChannelId != context.ChannelId)
        {
            throw new OpcUaException(StatusCodes.BadSecureChannelIdInvalid, "Session belongs to another secure channel.");
        }

        context.Session!.DeleteSubscriptionsOnClose = request.DeleteSubscriptions;
        context.Server.Sessions.Close(context.Session!);
        return ValueTask.FromResult<IServiceResponse>(new CloseSessionResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader) });
    }
}
