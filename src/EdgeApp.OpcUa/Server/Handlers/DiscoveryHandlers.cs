using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>Discovery service set (Part 4 §5.4): GetEndpoints and FindServers, served without a session.</summary>
internal static class DiscoveryHandlers
{
    public static void Register(ServiceDispatcher dispatcher)
    {
        dispatcher.Register<GetEndpointsRequest>(GetEndpoints, SessionRequirement.None);
        dispatcher.Register<FindServersRequest>(FindServers, SessionRequirement.None);
    }

    private static ValueTask<IServiceResponse> GetEndpoints(RequestContext context, GetEndpointsRequest request)
    {
        var wanted = request.ProfileUris.Where(p => p is not null).ToArray();
        var endpoints = Endpoints(context.Server, request.EndpointUrl ?? context.EndpointUrl)
            .Where(e => wanted.Length == 0 || wanted.Contains(e.TransportProfileUri))
            .ToArray();
        return ValueTask.FromResult<IServiceResponse>(new GetEndpointsResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            Endpoints = endpoints,
        });
    }

    private static ValueTask<IServiceResponse> FindServers(RequestContext context, FindServersRequest request)
    {
        var self = Application(context.Server, request.EndpointUrl ?? context.EndpointUrl);
        var match = request.ServerUris.Length == 0 || request.ServerUris.Contains(self.ApplicationUri);
        return ValueTask.FromResult<IServiceResponse>(new FindServersResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            Servers = match ? [self] : [],
        });
    }

    /// <summary>
    /// The endpoints of this server. The URL is the configured one with the host the client dialled, so a client that
    /// connected to 127.0.0.1 is not sent to "localhost" (a known source of endpoint-mismatch failures).
    /// </summary>
    public static EndpointDescription[] Endpoints(OpcUaServer server, string? requestedUrl)
    {
        var url = server.EndpointUrlFor(requestedUrl);
        var tokens = new List<UserTokenPolicy>();
        if (server.Options.AllowAnonymous)
        {
            tokens.Add(new UserTokenPolicy { PolicyId = "anonymous", TokenType = UserTokenType.Anonymous });
        }

        if (server.Options.UserValidator is not null)
        {
            tokens.Add(new UserTokenPolicy { PolicyId = "username", TokenType = UserTokenType.UserName, SecurityPolicyUri = SecurityPolicyUris.None });
        }

        return
        [
            new EndpointDescription
            {
                EndpointUrl = url,
                Server = Application(server, requestedUrl),
                SecurityMode = MessageSecurityMode.None,
                SecurityPolicyUri = SecurityPolicyUris.None,
                UserIdentityTokens = [.. tokens],
                TransportProfileUri = EndpointDescription.UaTcpTransportProfile,
                SecurityLevel = 0,
            },
        ];
    }

    public static ApplicationDescription Application(OpcUaServer server, string? requestedUrl) => new()
    {
        ApplicationUri = server.Options.Identity.ApplicationUri,
        ProductUri = server.Options.Identity.ProductUri,
        ApplicationName = new LocalizedText("en", server.Options.Identity.ApplicationName),
        ApplicationType = ApplicationType.Server,
        DiscoveryUrls = [server.EndpointUrlFor(requestedUrl)],
    };
}
