using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.ClientServer;

/// <summary>Call, the session service set and the discovery service set.</summary>
public sealed class MethodAndSessionServiceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Call_RunsMethods_AndValidatesArguments(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var methods = server.Id("Methods");
        Assert.Equal(42, (await client.CallAsync(methods, server.Id("Add"), new Variant(40), new Variant(2)))[0].Get<int>());

        server.Counter.Value = 9;
        await client.CallAsync(methods, server.Id("Reset"));
        Assert.Equal(0, server.Counter.Value);

        var results = await client.CallAsync(
        [
            new CallMethodRequest { ObjectId = methods, MethodId = server.Id("Add"), InputArguments = [new Variant(1)] },
            new CallMethodRequest { ObjectId = methods, MethodId = server.Id("Add"), InputArguments = [new Variant(1), new Variant(2), new Variant(3)] },
            new CallMethodRequest { ObjectId = methods, MethodId = server.Id("Add"), InputArguments = [new Variant(1), new Variant("2")] },
            new CallMethodRequest { ObjectId = methods, MethodId = server.Id("Missing") },
            new CallMethodRequest { ObjectId = server.Id("Missing"), MethodId = server.Id("Add") },
            new CallMethodRequest { ObjectId = ObjectIds.ObjectsFolder, MethodId = server.Id("Add"), InputArguments = [new Variant(1), new Variant(2)] },
            new CallMethodRequest { ObjectId = methods, MethodId = server.Id("Fail") },
        ]);
        Assert.Equal(StatusCodes.BadArgumentsMissing, results[0].StatusCode);
        Assert.Equal(StatusCodes.BadTooManyArguments, results[1].StatusCode);
        Assert.Equal(StatusCodes.BadInvalidArgument, results[2].StatusCode);
        Assert.Equal([StatusCodes.Good, StatusCodes.BadTypeMismatch], results[2].InputArgumentResults);
        Assert.Equal(StatusCodes.BadMethodInvalid, results[3].StatusCode);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, results[4].StatusCode);
        Assert.Equal(StatusCodes.BadMethodInvalid, results[5].StatusCode);
        Assert.Equal(StatusCodes.BadInvalidState, results[6].StatusCode);
    }

    [Fact]
    public async Task Method_ExposesInputArgumentsProperty()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var path = await client.TranslateBrowsePathsAsync([new BrowsePath { StartingNode = server.Id("Add"), RelativePath = [new RelativePathElement { ReferenceTypeId = ReferenceTypeIds.HasProperty, TargetName = new QualifiedName("InputArguments") }] }]);
        var value = await client.ReadAsync(path[0].Targets[0].TargetId.NodeId);
        var arguments = value.Value.Get<ExtensionObject[]>().Select(e => e.As<Argument>()!).ToArray();
        Assert.Equal(["a", "b"], arguments.Select(a => a.Name));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Discovery_WorksWithoutSession(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync(new ClientOptions { CreateSession = false });
        var endpoints = await client.GetEndpointsAsync();
        var endpoint = Assert.Single(endpoints);
        Assert.Equal(SecurityPolicyUris.None, endpoint.SecurityPolicyUri);
        Assert.Equal(MessageSecurityMode.None, endpoint.SecurityMode);
        Assert.StartsWith(tcp ? server.EndpointUrl[..16] : "opc.tcp://memory", endpoint.EndpointUrl, StringComparison.Ordinal);
        Assert.Contains(endpoint.UserIdentityTokens, t => t.TokenType == UserTokenType.Anonymous);
        var servers = await client.FindServersAsync();
        Assert.Equal("urn:edgeapp:opcua:server", Assert.Single(servers).ApplicationUri);

        // Without a session, session services are refused.
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.ReadAsync(VariableIds.ServerStatusState));
        Assert.Equal(StatusCodes.BadSessionIdInvalid, ex.StatusCode);
    }

    [Fact]
    public async Task DiscoverEndpoints_OverTcp_ReturnsTheEndpoint()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var endpoints = await OpcUaClient.DiscoverEndpointsAsync(server.EndpointUrl);
        Assert.Equal(server.EndpointUrl, Assert.Single(endpoints).EndpointUrl);
    }

    [Fact]
    public async Task UserName_IsValidated()
    {
        var options = new ServerOptions { AllowAnonymous = false, UserValidator = (user, password) => user == "user1" && password == "password" };
        await using var server = await TestServer.StartAsync(false, options);
        await using (var client = await server.ConnectAsync(new ClientOptions { Identity = UserIdentity.ForUser("user1", "password") }))
        {
            Assert.Equal("user1", Assert.Single(server.Server.Sessions.Sessions).UserName);
            Assert.Equal(StatusCodes.Good, (await client.ReadAsync(VariableIds.ServerStatusState)).StatusCode);
        }

        var wrong = await Assert.ThrowsAsync<OpcUaException>(() => server.ConnectAsync(new ClientOptions { Identity = UserIdentity.ForUser("user1", "nope") }));
        Assert.Equal(StatusCodes.BadUserAccessDenied, wrong.StatusCode);
        var anonymous = await Assert.ThrowsAsync<OpcUaException>(() => server.ConnectAsync(new ClientOptions()));
        Assert.Equal(StatusCodes.BadIdentityTokenRejected, anonymous.StatusCode);
    }

    [Fact]
    public async Task CloseSession_RemovesIt_AndLaterRequestsFail()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var client = await server.ConnectAsync();
        Assert.Equal(1, server.Server.Sessions.Count);
        var token = client.AuthenticationToken;
        await client.DisposeAsync();
        Assert.Equal(0, server.Server.Sessions.Count);

        await using var other = await server.ConnectAsync(new ClientOptions { CreateSession = false });
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => other.SendAsync<ReadResponse>(new ReadRequest
        {
            RequestHeader = new RequestHeader { AuthenticationToken = token },
            NodesToRead = [new ReadValueId { NodeId = VariableIds.ServerStatusState }],
        }));
        Assert.Equal(StatusCodes.BadSessionIdInvalid, ex.StatusCode);
    }

    [Fact]
    public async Task Session_NotActivated_IsRefused()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync(new ClientOptions { CreateSession = false });
        var created = await client.SendAsync<CreateSessionResponse>(new CreateSessionRequest { SessionName = "x", RequestedSessionTimeout = 10_000 });
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.SendAsync<ReadResponse>(new ReadRequest
        {
            RequestHeader = new RequestHeader { AuthenticationToken = created.AuthenticationToken },
            NodesToRead = [new ReadValueId { NodeId = VariableIds.ServerStatusState }],
        }));
        Assert.Equal(StatusCodes.BadSessionNotActivated, ex.StatusCode);
    }

    [Fact]
    public async Task SecurityToken_IsRenewed_AndRequestsKeepWorking()
    {
        var options = new ServerOptions { Limits = new ServerLimits { MinTokenLifetime = TimeSpan.FromMilliseconds(500) } };
        await using var server = await TestServer.StartAsync(true, options);
        await using var client = await server.ConnectAsync(new ClientOptions { TokenLifetime = TimeSpan.FromMilliseconds(800) });
        var firstToken = client.SecurityToken!.TokenId;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (client.SecurityToken!.TokenId < firstToken + 2 && DateTime.UtcNow < deadline)
        {
            Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
            await Task.Delay(20);
        }

        Assert.True(client.SecurityToken!.TokenId >= firstToken + 2, "the token was not renewed twice");
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }
}
