using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;
using static EdgeApp.Tests.OpcUa.Codec;

namespace EdgeApp.Tests.OpcUa.Encoding;

/// <summary>Every service message encodes with its type id, decodes to the same type, and re-encodes identically.</summary>
public sealed class ServiceMessageTests
{
    public static TheoryData<IEncodeable> Messages() =>
    [
        new ReadRequest { RequestHeader = new RequestHeader { AuthenticationToken = new NodeId(new byte[] { 1, 2 }, 0), RequestHandle = 7, TimeoutHint = 1000 }, NodesToRead = [new ReadValueId { NodeId = new NodeId("x", 2), IndexRange = "1:2" }] },
        new ReadResponse { Results = [new DataValue(new Variant(1.5)), new DataValue(StatusCodes.BadNodeIdUnknown)], DiagnosticInfos = [null] },
        new WriteRequest { NodesToWrite = [new WriteValue { NodeId = 85u, Value = new DataValue(new Variant("v")) }] },
        new WriteResponse { Results = [StatusCodes.Good, StatusCodes.BadNotWritable] },
        new BrowseRequest { NodesToBrowse = [new BrowseDescription { NodeId = 85u, ReferenceTypeId = 33u, NodeClassMask = 3 }], RequestedMaxReferencesPerNode = 10 },
        new BrowseResponse { Results = [new BrowseResult { ContinuationPoint = [1, 2], References = [new ReferenceDescription { NodeId = new ExpandedNodeId(new NodeId("a", 1)), BrowseName = new QualifiedName(1, "a"), DisplayName = "a", NodeClass = NodeClass.Variable, TypeDefinition = new NodeId(63u), ReferenceTypeId = 35u, IsForward = true }] }] },
        new BrowseNextRequest { ContinuationPoints = [[1, 2, 3], null], ReleaseContinuationPoints = true },
        new BrowseNextResponse { Results = [new BrowseResult { StatusCode = StatusCodes.BadContinuationPointInvalid }] },
        new TranslateBrowsePathsToNodeIdsRequest { BrowsePaths = [new BrowsePath { StartingNode = 84u, RelativePath = [new RelativePathElement { TargetName = new QualifiedName("Objects") }] }] },
        new TranslateBrowsePathsToNodeIdsResponse { Results = [new BrowsePathResult { Targets = [new BrowsePathTarget { TargetId = new NodeId(85u) }] }] },
        new RegisterNodesRequest { NodesToRegister = [new NodeId("a", 1)] },
        new RegisterNodesResponse { RegisteredNodeIds = [new NodeId("a", 1)] },
        new UnregisterNodesRequest { NodesToUnregister = [new NodeId("a", 1)] },
        new UnregisterNodesResponse(),
        new CallRequest { MethodsToCall = [new CallMethodRequest { ObjectId = 2253u, MethodId = 11492u, InputArguments = [new Variant(1u)] }] },
        new CallResponse { Results = [new CallMethodResult { InputArgumentResults = [StatusCodes.Good], OutputArguments = [new Variant("x")] }] },
        new GetEndpointsRequest { EndpointUrl = "opc.tcp://h:4840", ProfileUris = [EndpointDescription.UaTcpTransportProfile] },
        new GetEndpointsResponse { Endpoints = [new EndpointDescription { EndpointUrl = "opc.tcp://h:4840", SecurityMode = MessageSecurityMode.None, UserIdentityTokens = [new UserTokenPolicy { PolicyId = "anonymous" }] }] },
        new FindServersRequest { ServerUris = ["urn:a"] },
        new FindServersResponse { Servers = [new ApplicationDescription { ApplicationUri = "urn:a", DiscoveryUrls = ["opc.tcp://h"] }] },
        new CreateSessionRequest { SessionName = "s", ClientNonce = new byte[32], RequestedSessionTimeout = 60000 },
        new CreateSessionResponse { SessionId = new NodeId(Guid.NewGuid(), 1), AuthenticationToken = new NodeId(new byte[] { 9 }, 0), RevisedSessionTimeout = 1000 },
        new ActivateSessionRequest { UserIdentityToken = new ExtensionObject(new UserNameIdentityToken { UserName = "u", Password = [1] }) },
        new ActivateSessionResponse { ServerNonce = [1], Results = [StatusCodes.Good] },
        new CloseSessionRequest { DeleteSubscriptions = true },
        new CloseSessionResponse(),
        new OpenSecureChannelRequest { RequestType = SecurityTokenRequestType.Renew, RequestedLifetime = 60000, ClientNonce = [] },
        new OpenSecureChannelResponse { SecurityToken = new ChannelSecurityToken { ChannelId = 1, TokenId = 2, RevisedLifetime = 3 } },
        new CloseSecureChannelRequest(),
        new ServiceFault { ResponseHeader = new ResponseHeader { ServiceResult = StatusCodes.BadSessionIdInvalid, StringTable = ["a"] } },
    ];

    [Theory]
    [MemberData(nameof(Messages))]
    public void Message_RoundTripsThroughTypeId(IEncodeable message)
    {
        var bytes = Encode((ref UaWriter w) => ServiceTypes.EncodeMessage(ref w, message));
        var decoded = Decode(bytes, (ref UaReader r) => ServiceTypes.DecodeMessage(ref r, out _));
        Assert.IsType(message.GetType(), decoded);
        Assert.Equal(ToHex(bytes), ToHex(Encode((ref UaWriter w) => ServiceTypes.EncodeMessage(ref w, decoded))));
    }

    [Fact]
    public void UnknownMessageType_IsServiceUnsupported() =>
        AssertDecodeFails(Hex("01 00 9802"), (ref UaReader r) => ServiceTypes.DecodeMessage(ref r, out _), StatusCodes.BadServiceUnsupported);

    [Fact]
    public void ReadRequest_GoldenHeaderBytes()
    {
        var request = new ReadRequest { RequestHeader = new RequestHeader { RequestHandle = 1 }, TimestampsToReturn = TimestampsToReturn.Both };
        var bytes = Encode((ref UaWriter w) => ServiceTypes.EncodeMessage(ref w, request));

        // i=631 four-byte | null token | timestamp 0 | handle 1 | diag 0 | audit null | timeout 0 | no additional header | maxAge 0.0 | Both | empty array
        Assert.Equal("01007702" + "0000" + "0000000000000000" + "01000000" + "00000000" + "FFFFFFFF" + "00000000" + "000000" +
                     "0000000000000000" + "02000000" + "00000000", ToHex(bytes));
    }
}
