using System.Buffers.Binary;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.Fuzz;

/// <summary>
/// Valid frames of every kind the server receives — Hello, OpenSecureChannel, CloseSecureChannel, and a MSG for each
/// service with rich arguments (every Variant shape, filters, acknowledgements) plus a message split into chunks — the
/// seeds the fuzzer mutates. The address space they refer to is made by <see cref="Populate"/>.
/// </summary>
public static class GoldenCorpus
{
    public const string Namespace = "urn:edgeapp:fuzz";

    public static void Populate(OpcUaServer server)
    {
        var a = server.AddressSpace;
        var ns = a.RegisterNamespace(Namespace);
        var folder = a.AddFolder(a.ObjectsFolder, new NodeId("Fuzz", ns), "Fuzz");
        a.AddVariable(folder, new NodeId("Int32", ns), "Int32", 1);
        a.AddVariable(folder, new NodeId("Double", ns), "Double", 1.5);
        a.AddVariable(folder, new NodeId("String", ns), "String", "s");
        a.AddVariable(folder, new NodeId("Array", ns), "Array", new[] { 1, 2, 3 });
        a.AddVariable(folder, new NodeId("Matrix", ns), "Matrix", new[,] { { 1, 2 }, { 3, 4 } });
        a.AddMethod(folder, new NodeId("Echo", ns), "Echo", (_, inputs) => ValueTask.FromResult(inputs.ToArray()));
    }

    public static List<byte[]> Build()
    {
        var ns = (ushort)2;
        var token = new NodeId(new byte[] { 1, 2, 3, 4 }, 0);
        var header = new RequestHeader { AuthenticationToken = token, RequestHandle = 1, TimeoutHint = 1000, Timestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) };
        var variant = new Variant[]
        {
            new(true), new((sbyte)-1), new((byte)1), new((short)-2), new((ushort)2), new(-3), new(3u), new(-4L), new(4UL), new(1.5f), new(2.5),
            new("text"), new(DateTime.UnixEpoch), new(Guid.Empty), new(new byte[] { 1, 2 }), new(new UaXmlElement("<a/>")), new(new NodeId("n", ns)),
            new(new ExpandedNodeId(new NodeId(5u), "urn:x", 1)), new(StatusCodes.BadTimeout), new(new QualifiedName(ns, "q")), new(new LocalizedText("en", "t")),
            new(new ExtensionObject(new Argument { Name = "a", DataType = 6u })), new(new DataValue(new Variant(1))),
            Variant.FromArray(new[] { 1, 2, 3 }), Variant.FromArray(new[] { "a", null }), Variant.FromArray(new[,] { { 1.0, 2.0 }, { 3.0, 4.0 } }),
            Variant.FromArray(new[] { new Variant(1), new Variant("x") }),
        };
        var node = new NodeId("Int32", ns);
        IServiceRequest[] requests =
        [
            new ReadRequest { NodesToRead = [new ReadValueId { NodeId = node }, new ReadValueId { NodeId = new NodeId("Array", ns), IndexRange = "0:1" }, new ReadValueId { NodeId = 85u, AttributeId = AttributeId.BrowseName }] },
            new WriteRequest { NodesToWrite = variant.Select(v => new WriteValue { NodeId = node, Value = new DataValue(v, StatusCodes.Good, DateTime.UnixEpoch) }).ToArray() },
            new BrowseRequest { NodesToBrowse = [new BrowseDescription { NodeId = 85u, ReferenceTypeId = 33u, IncludeSubtypes = true, ResultMask = BrowseResultMask.All }], RequestedMaxReferencesPerNode = 2 },
            new BrowseNextRequest { ContinuationPoints = [[1, 0, 0, 0, 0, 0, 0, 0]] },
            new TranslateBrowsePathsToNodeIdsRequest { BrowsePaths = [new BrowsePath { StartingNode = 85u, RelativePath = [new RelativePathElement { ReferenceTypeId = 33u, IncludeSubtypes = true, TargetName = new QualifiedName(ns, "Fuzz") }] }] },
            new RegisterNodesRequest { NodesToRegister = [node] },
            new CallRequest { MethodsToCall = [new CallMethodRequest { ObjectId = new NodeId("Fuzz", ns), MethodId = new NodeId("Echo", ns), InputArguments = variant }] },
            new CreateSessionRequest { SessionName = "s", ClientNonce = new byte[32], RequestedSessionTimeout = 1000, EndpointUrl = "opc.tcp://h:1/" },
            new ActivateSessionRequest { UserIdentityToken = new ExtensionObject(new UserNameIdentityToken { UserName = "u", Password = [1, 2] }), LocaleIds = ["en"] },
            new CloseSessionRequest { DeleteSubscriptions = true },
            new GetEndpointsRequest { EndpointUrl = "opc.tcp://h:1/" },
            new FindServersRequest(),
            new CreateSubscriptionRequest { RequestedPublishingInterval = 10, RequestedLifetimeCount = 30, RequestedMaxKeepAliveCount = 3, MaxNotificationsPerPublish = 5 },
            new ModifySubscriptionRequest { SubscriptionId = 1, RequestedPublishingInterval = 20, RequestedMaxKeepAliveCount = 2 },
            new SetPublishingModeRequest { PublishingEnabled = false, SubscriptionIds = [1, 2] },
            new CreateMonitoredItemsRequest
            {
                SubscriptionId = 1,
                TimestampsToReturn = TimestampsToReturn.Both,
                ItemsToCreate =
                [
                    new MonitoredItemCreateRequest { ItemToMonitor = new ReadValueId { NodeId = node }, RequestedParameters = new MonitoringParameters { ClientHandle = 1, SamplingInterval = 0, QueueSize = 3 } },
                    new MonitoredItemCreateRequest { ItemToMonitor = new ReadValueId { NodeId = new NodeId("Double", ns) }, RequestedParameters = new MonitoringParameters { ClientHandle = 2, Filter = new ExtensionObject(new DataChangeFilter { DeadbandType = DeadbandType.Absolute, DeadbandValue = 1 }), QueueSize = 2, DiscardOldest = false } },
                    new MonitoredItemCreateRequest { ItemToMonitor = new ReadValueId { NodeId = new NodeId("Array", ns), IndexRange = "1" }, MonitoringMode = MonitoringMode.Sampling },
                ],
            },
            new ModifyMonitoredItemsRequest { SubscriptionId = 1, ItemsToModify = [new MonitoredItemModifyRequest { MonitoredItemId = 1, RequestedParameters = new MonitoringParameters { QueueSize = 10, SamplingInterval = 50, Filter = new ExtensionObject(new DataChangeFilter { DeadbandType = DeadbandType.Percent, DeadbandValue = 5 }) } }] },
            new SetMonitoringModeRequest { SubscriptionId = 1, MonitoringMode = MonitoringMode.Disabled, MonitoredItemIds = [1, 2] },
            new DeleteMonitoredItemsRequest { SubscriptionId = 1, MonitoredItemIds = [2] },
            new PublishRequest { SubscriptionAcknowledgements = [new SubscriptionAcknowledgement(1, 1), new SubscriptionAcknowledgement(2, 7)] },
            new RepublishRequest { SubscriptionId = 1, RetransmitSequenceNumber = 1 },
            new TransferSubscriptionsRequest { SubscriptionIds = [1], SendInitialValues = true },
            new DeleteSubscriptionsRequest { SubscriptionIds = [1] },
        ];

        var corpus = new List<byte[]>();
        using (var hello = new ByteBuffer())
        {
            FrameWriter.Hello(hello, new HelloMessage(0, 65535, 65535, 1 << 20, 64, "opc.tcp://127.0.0.1:4840/"));
            corpus.Add(hello.WrittenSpan.ToArray());
        }

        corpus.Add(Chunk(MessageTypes.OpenSecureChannel, MessageTypes.Final, Body(new OpenSecureChannelRequest { RequestHeader = header, RequestedLifetime = 60_000, ClientNonce = [] }), 1));
        corpus.Add(Chunk(MessageTypes.CloseSecureChannel, MessageTypes.Final, Body(new CloseSecureChannelRequest { RequestHeader = header }), 1));
        uint sequence = 1;
        foreach (var request in requests)
        {
            request.RequestHeader = header;
            corpus.Add(Chunk(MessageTypes.Message, MessageTypes.Final, Body(request), sequence++));
        }

        // A Write split into three chunks (Intermediate, Intermediate, Final) of one message, and an abort chunk.
        var body = Body(requests[1]);
        var third = body.Length / 3;
        corpus.Add([
            .. Chunk(MessageTypes.Message, MessageTypes.Intermediate, body[..third], 10, requestId: 9),
            .. Chunk(MessageTypes.Message, MessageTypes.Intermediate, body[third..(2 * third)], 11, requestId: 9),
            .. Chunk(MessageTypes.Message, MessageTypes.Final, body[(2 * third)..], 12, requestId: 9),
        ]);
        corpus.Add(Chunk(MessageTypes.Message, MessageTypes.Abort, [0, 0, 0x0B, 0x80, 0xFF, 0xFF, 0xFF, 0xFF], 13));
        return corpus;
    }

    private static byte[] Body(IEncodeable message)
    {
        using var buffer = new ByteBuffer();
        var writer = new UaWriter(buffer);
        ServiceTypes.EncodeMessage(ref writer, message);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One chunk: UACP header, channel/security header, sequence header, body (SecurityPolicy None).</summary>
    public static byte[] Chunk(uint messageType, byte chunkType, byte[] body, uint sequenceNumber, uint requestId = 0)
    {
        var headers = new ChunkHeaders(messageType, 1, 1, SecurityPolicyUris.None, null, null, 0);
        var size = headers.EncodedSize + 8 + body.Length;
        var frame = new byte[size];
        var at = headers.Write(frame, chunkType);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(at), sequenceNumber);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(at + 4), requestId == 0 ? sequenceNumber : requestId);
        body.CopyTo(frame, at + 8);
        BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)size);
        return frame;
    }
}
