using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Subscriptions;

/// <summary>Subscription services called one request at a time, for tests that watch the wire behaviour.</summary>
internal static class Raw
{
    public static Task<CreateSubscriptionResponse> CreateSubscriptionAsync(OpcUaClient client, double interval = 100, uint keepAlive = 10, uint lifetime = 0, uint maxNotifications = 0) =>
        client.SendAsync<CreateSubscriptionResponse>(new CreateSubscriptionRequest
        {
            RequestedPublishingInterval = interval,
            RequestedMaxKeepAliveCount = keepAlive,
            RequestedLifetimeCount = lifetime,
            MaxNotificationsPerPublish = maxNotifications,
        });

    public static MonitoredItemCreateRequest Item(NodeId nodeId, uint handle, double sampling = 10, uint queueSize = 1, bool discardOldest = true, DataChangeFilter? filter = null, MonitoringMode mode = MonitoringMode.Reporting) => new()
    {
        ItemToMonitor = new ReadValueId { NodeId = nodeId },
        MonitoringMode = mode,
        RequestedParameters = new MonitoringParameters
        {
            ClientHandle = handle,
            SamplingInterval = sampling,
            QueueSize = queueSize,
            DiscardOldest = discardOldest,
            Filter = filter is null ? null : new ExtensionObject(filter),
        },
    };

    public static async Task<MonitoredItemCreateResult> MonitorAsync(OpcUaClient client, uint subscriptionId, NodeId nodeId, uint handle, double sampling = 10, uint queueSize = 1, bool discardOldest = true, DataChangeFilter? filter = null, MonitoringMode mode = MonitoringMode.Reporting)
    {
        var response = await client.SendAsync<CreateMonitoredItemsResponse>(new CreateMonitoredItemsRequest
        {
            SubscriptionId = subscriptionId,
            ItemsToCreate = [Item(nodeId, handle, sampling, queueSize, discardOldest, filter, mode)],
        });
        return Assert.Single(response.Results);
    }

    public static Task<PublishResponse> PublishAsync(OpcUaClient client, params SubscriptionAcknowledgement[] acks) =>
        client.SendAsync<PublishResponse>(new PublishRequest { SubscriptionAcknowledgements = acks });

    public static MonitoredItemNotification[] Values(PublishResponse response) => Values(response.NotificationMessage);

    public static MonitoredItemNotification[] Values(NotificationMessage message) =>
        message.NotificationData.Select(d => d.Body).OfType<DataChangeNotification>().SelectMany(d => d.MonitoredItems).ToArray();

    /// <summary>Publishes (acknowledging as it goes) until a message carries values; bounded to 20 responses.</summary>
    public static async Task<MonitoredItemNotification[]> PublishUntilValuesAsync(OpcUaClient client)
    {
        var acks = Array.Empty<SubscriptionAcknowledgement>();
        for (var i = 0; i < 20; i++)
        {
            var response = await PublishAsync(client, acks);
            var values = Values(response);
            if (values.Length > 0)
            {
                return values;
            }

            acks = [];
        }

        throw new Xunit.Sdk.XunitException("no values in 20 Publish responses");
    }
}
