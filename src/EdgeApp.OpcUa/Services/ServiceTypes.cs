using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>Registers every structure this stack knows so ExtensionObjects and service messages decode to types.</summary>
public static class ServiceTypes
{
    public static void RegisterAll(EncodeableRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Register<ServiceFault>();
        registry.Register<OpenSecureChannelRequest>();
        registry.Register<OpenSecureChannelResponse>();
        registry.Register<CloseSecureChannelRequest>();
        registry.Register<CloseSecureChannelResponse>();
        registry.Register<GetEndpointsRequest>();
        registry.Register<GetEndpointsResponse>();
        registry.Register<FindServersRequest>();
        registry.Register<FindServersResponse>();
        registry.Register<CreateSessionRequest>();
        registry.Register<CreateSessionResponse>();
        registry.Register<ActivateSessionRequest>();
        registry.Register<ActivateSessionResponse>();
        registry.Register<CloseSessionRequest>();
        registry.Register<CloseSessionResponse>();
        registry.Register<BrowseRequest>();
        registry.Register<BrowseResponse>();
        registry.Register<BrowseNextRequest>();
        registry.Register<BrowseNextResponse>();
        registry.Register<TranslateBrowsePathsToNodeIdsRequest>();
        registry.Register<TranslateBrowsePathsToNodeIdsResponse>();
        registry.Register<RegisterNodesRequest>();
        registry.Register<RegisterNodesResponse>();
        registry.Register<UnregisterNodesRequest>();
        registry.Register<UnregisterNodesResponse>();
        registry.Register<ReadRequest>();
        registry.Register<ReadResponse>();
        registry.Register<WriteRequest>();
        registry.Register<WriteResponse>();
        registry.Register<CallRequest>();
        registry.Register<CallResponse>();
        registry.Register<AnonymousIdentityToken>();
        registry.Register<UserNameIdentityToken>();
        registry.Register<Argument>();
        registry.Register<BuildInfo>();
        registry.Register<ServerStatusDataType>();
        registry.Register<CreateSubscriptionRequest>();
        registry.Register<CreateSubscriptionResponse>();
        registry.Register<ModifySubscriptionRequest>();
        registry.Register<ModifySubscriptionResponse>();
        registry.Register<SetPublishingModeRequest>();
        registry.Register<SetPublishingModeResponse>();
        registry.Register<DeleteSubscriptionsRequest>();
        registry.Register<DeleteSubscriptionsResponse>();
        registry.Register<TransferSubscriptionsRequest>();
        registry.Register<TransferSubscriptionsResponse>();
        registry.Register<TransferResult>();
        registry.Register<PublishRequest>();
        registry.Register<PublishResponse>();
        registry.Register<RepublishRequest>();
        registry.Register<RepublishResponse>();
        registry.Register<NotificationMessage>();
        registry.Register<DataChangeNotification>();
        registry.Register<MonitoredItemNotification>();
        registry.Register<StatusChangeNotification>();
        registry.Register<SubscriptionAcknowledgement>();
        registry.Register<CreateMonitoredItemsRequest>();
        registry.Register<CreateMonitoredItemsResponse>();
        registry.Register<ModifyMonitoredItemsRequest>();
        registry.Register<ModifyMonitoredItemsResponse>();
        registry.Register<SetMonitoringModeRequest>();
        registry.Register<SetMonitoringModeResponse>();
        registry.Register<DeleteMonitoredItemsRequest>();
        registry.Register<DeleteMonitoredItemsResponse>();
        registry.Register<MonitoredItemCreateRequest>();
        registry.Register<MonitoredItemCreateResult>();
        registry.Register<MonitoredItemModifyRequest>();
        registry.Register<MonitoredItemModifyResult>();
        registry.Register<MonitoringParameters>();
        registry.Register<DataChangeFilter>();
        registry.Register<Range>();
    }

    /// <summary>Encodes a message body as it travels in a MSG/OPN chunk: the encoding NodeId, then the structure.</summary>
    public static void EncodeMessage(ref UaWriter writer, IEncodeable message)
    {
        writer.WriteNodeId(message.BinaryEncodingId);
        message.Encode(ref writer);
    }

    /// <summary>Decodes a message body; unknown type ids throw BadServiceUnsupported with the id read.</summary>
    public static IEncodeable DecodeMessage(ref UaReader reader, out NodeId typeId)
    {
        typeId = reader.ReadNodeId();
        if (!reader.Context.Types.TryGetDecoder(typeId, out var decoder))
        {
            throw new OpcUaException(StatusCodes.BadServiceUnsupported, $"No decoder for message type {typeId}.");
        }

        return decoder(ref reader);
    }
}
