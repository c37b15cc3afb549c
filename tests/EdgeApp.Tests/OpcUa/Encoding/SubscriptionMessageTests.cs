using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;
using static EdgeApp.Tests.OpcUa.Codec;

namespace EdgeApp.Tests.OpcUa.Encoding;

/// <summary>The subscription and monitored item messages: golden bytes for the small structures, round trips for all.</summary>
public sealed class SubscriptionMessageTests
{
    public static TheoryData<IEncodeable> Messages() =>
    [
        new CreateSubscriptionRequest { RequestedPublishingInterval = 100, RequestedLifetimeCount = 30, RequestedMaxKeepAliveCount = 10, MaxNotificationsPerPublish = 1000, Priority = 3 },
        new CreateSubscriptionResponse { SubscriptionId = 7, RevisedPublishingInterval = 100, RevisedLifetimeCount = 30, RevisedMaxKeepAliveCount = 10 },
        new ModifySubscriptionRequest { SubscriptionId = 7, RequestedPublishingInterval = 250, Priority = 1 },
        new ModifySubscriptionResponse { RevisedPublishingInterval = 250, RevisedLifetimeCount = 9, RevisedMaxKeepAliveCount = 3 },
        new SetPublishingModeRequest { PublishingEnabled = true, SubscriptionIds = [1, 2] },
        new SetPublishingModeResponse { Results = [StatusCodes.Good, StatusCodes.BadSubscriptionIdInvalid] },
        new DeleteSubscriptionsRequest { SubscriptionIds = [3] },
        new DeleteSubscriptionsResponse { Results = [StatusCodes.Good] },
        new TransferSubscriptionsRequest { SubscriptionIds = [4, 5], SendInitialValues = true },
        new TransferSubscriptionsResponse { Results = [new TransferResult { StatusCode = StatusCodes.Good, AvailableSequenceNumbers = [8, 9] }] },
        new PublishRequest { SubscriptionAcknowledgements = [new SubscriptionAcknowledgement(1, 2)] },
        new PublishResponse
        {
            SubscriptionId = 1,
            AvailableSequenceNumbers = [3],
            MoreNotifications = true,
            NotificationMessage = new NotificationMessage
            {
                SequenceNumber = 3,
                PublishTime = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc),
                NotificationData =
                [
                    new ExtensionObject(new DataChangeNotification { MonitoredItems = [new MonitoredItemNotification(5, new DataValue(new Variant(1.5), StatusCodes.Good, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)))] }),
                    new ExtensionObject(new StatusChangeNotification { Status = StatusCodes.BadTimeout }),
                ],
            },
            Results = [StatusCodes.Good],
        },
        new RepublishRequest { SubscriptionId = 1, RetransmitSequenceNumber = 3 },
        new RepublishResponse { NotificationMessage = new NotificationMessage { SequenceNumber = 3 } },
        new CreateMonitoredItemsRequest
        {
            SubscriptionId = 1,
            TimestampsToReturn = TimestampsToReturn.Source,
            ItemsToCreate =
            [
                new MonitoredItemCreateRequest
                {
                    ItemToMonitor = new ReadValueId { NodeId = new NodeId("x", 2) },
                    RequestedParameters = new MonitoringParameters { ClientHandle = 9, SamplingInterval = 0, QueueSize = 10, DiscardOldest = false, Filter = new ExtensionObject(new DataChangeFilter { DeadbandType = DeadbandType.Percent, DeadbandValue = 2.5 }) },
                },
            ],
        },
        new CreateMonitoredItemsResponse { Results = [new MonitoredItemCreateResult { MonitoredItemId = 4, RevisedSamplingInterval = 10, RevisedQueueSize = 10 }] },
        new ModifyMonitoredItemsRequest { SubscriptionId = 1, ItemsToModify = [new MonitoredItemModifyRequest { MonitoredItemId = 4, RequestedParameters = new MonitoringParameters { QueueSize = 2 } }] },
        new ModifyMonitoredItemsResponse { Results = [new MonitoredItemModifyResult { StatusCode = StatusCodes.BadMonitoredItemIdInvalid }] },
        new SetMonitoringModeRequest { SubscriptionId = 1, MonitoringMode = MonitoringMode.Sampling, MonitoredItemIds = [4] },
        new SetMonitoringModeResponse { Results = [StatusCodes.Good] },
        new DeleteMonitoredItemsRequest { SubscriptionId = 1, MonitoredItemIds = [4] },
        new DeleteMonitoredItemsResponse { Results = [StatusCodes.Good] },
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
    public void SmallStructures_MatchPart6Bytes()
    {
        Assert.Equal("0100000002000000", ToHex(Encode((ref UaWriter w) => new SubscriptionAcknowledgement(1, 2).Encode(ref w))));

        // ClientHandle 5, DataValue with mask 0x01 (value) holding Int32 (type 6) 7.
        Assert.Equal("05000000010607000000", ToHex(Encode((ref UaWriter w) => new MonitoredItemNotification(5, new DataValue(new Variant(7))).Encode(ref w))));

        // Trigger StatusValue (1), DeadbandType Absolute (1), DeadbandValue 1.5.
        Assert.Equal("0100000001000000000000000000F83F", ToHex(Encode((ref UaWriter w) => new DataChangeFilter { DeadbandType = DeadbandType.Absolute, DeadbandValue = 1.5 }.Encode(ref w))));

        // A keep-alive NotificationMessage: sequence number, publish time, empty NotificationData.
        var keepAlive = new NotificationMessage { SequenceNumber = 2, PublishTime = DateTime.MinValue };
        Assert.Equal("02000000" + "0000000000000000" + "00000000", ToHex(Encode((ref UaWriter w) => keepAlive.Encode(ref w))));
    }

    [Fact]
    public void DataChangeNotification_WithHugeCount_FailsBeforeAllocating()
    {
        // 0x7FFFFFFF MonitoredItemNotifications announced in 4 bytes.
        AssertDecodeFails(Hex("FFFFFF7F"), (ref UaReader r) => DataChangeNotification.Decode(ref r), StatusCodes.BadEncodingLimitsExceeded);
        AssertDecodeFails(Hex("10000000 00"), (ref UaReader r) => DataChangeNotification.Decode(ref r), StatusCodes.BadDecodingError);
    }
}
