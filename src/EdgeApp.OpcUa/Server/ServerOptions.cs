using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Server;

/// <summary>Who the server is: published in GetEndpoints, FindServers and Server/ServerStatus/BuildInfo.</summary>
public sealed record ServerIdentity
{
    public string ApplicationUri { get; init; } = "urn:edgeapp:opcua:server";

    public string ProductUri { get; init; } = "https://github.com/edgeapp/opcua";

    public string ApplicationName { get; init; } = "EdgeApp OPC UA Server";

    public string ManufacturerName { get; init; } = "EdgeApp";

    public string SoftwareVersion { get; init; } = typeof(ServerIdentity).Assembly.GetName().Version?.ToString() ?? "1.0.0";

    public DateTime BuildDate { get; init; } = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public BuildInfo ToBuildInfo() => new()
    {
        ProductUri = ProductUri,
        ManufacturerName = ManufacturerName,
        ProductName = ApplicationName,
        SoftwareVersion = SoftwareVersion,
        BuildNumber = SoftwareVersion,
        BuildDate = BuildDate,
    };
}

/// <summary>
/// Every limit the server enforces. Defaults suit a PLC simulator with 100,000 variables and a handful of clients;
/// the OperationLimits and ServerCapabilities nodes publish them.
/// </summary>
public sealed record ServerLimits
{
    public int MaxSessions { get; init; } = 100;

    public int MaxConnections { get; init; } = 200;

    /// <summary>Sessions one secure channel may create (BadTooManySessions beyond), so one client cannot take every slot.</summary>
    public int MaxSessionsPerChannel { get; init; } = 10;

    /// <summary>A session not activated within this time after CreateSession is closed (whatever its session timeout).</summary>
    public TimeSpan UnactivatedSessionTimeout { get; init; } = TimeSpan.FromSeconds(20);

    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A secure channel without an activated session that receives nothing for this long is closed (sockets that
    /// opened a channel and went silent would otherwise hold a connection slot forever).
    /// </summary>
    public TimeSpan IdleChannelTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest a response may wait for a client that stopped reading; then the connection is closed.</summary>
    public TimeSpan SendTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan MinSessionTimeout { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxSessionTimeout { get; init; } = TimeSpan.FromHours(1);

    public TimeSpan MinTokenLifetime { get; init; } = TimeSpan.FromSeconds(1);

    public TimeSpan MaxTokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Buffer sizes and message limits offered in Acknowledge.</summary>
    public TransportLimits Transport { get; init; } = new();

    public int MaxNodesPerRead { get; init; } = 10_000;

    public int MaxNodesPerWrite { get; init; } = 10_000;

    public int MaxNodesPerBrowse { get; init; } = 10_000;

    public int MaxNodesPerMethodCall { get; init; } = 1_000;

    public int MaxNodesPerRegisterNodes { get; init; } = 10_000;

    public int MaxNodesPerTranslateBrowsePathsToNodeIds { get; init; } = 10_000;

    /// <summary>References returned per node before a continuation point is needed.</summary>
    public int MaxReferencesPerNode { get; init; } = 1_000;

    public int MaxBrowseContinuationPoints { get; init; } = 10;

    /// <summary>References in one Browse/BrowseNext response over all its nodes (at least one per node); the rest continue.</summary>
    public int MaxReferencesPerBrowse { get; init; } = 100_000;

    public int MaxStringLength { get; init; } = 1 << 20;

    public int MaxByteStringLength { get; init; } = 16 << 20;

    public int MaxArrayLength { get; init; } = 1 << 20;

    /// <summary>
    /// Bytes of arrays the decoder may allocate per byte of a request (at least 1 MB per message): elements such as
    /// DataValue or Variant take ~50 bytes in memory for 1 byte on the wire. BadEncodingLimitsExceeded beyond.
    /// </summary>
    public int MaxDecodeAllocationFactor { get; init; } = 16;

    /// <summary>Subscriptions one session may hold (BadTooManySubscriptions beyond).</summary>
    public int MaxSubscriptionsPerSession { get; init; } = 100;

    /// <summary>Subscriptions in the whole server, including those kept for transfer after their session closed.</summary>
    public int MaxSubscriptions { get; init; } = 1_000;

    /// <summary>Monitored items in the whole server (BadTooManyMonitoredItems beyond).</summary>
    public int MaxMonitoredItems { get; init; } = 1_000_000;

    /// <summary>Monitored items one subscription may hold.</summary>
    public int MaxMonitoredItemsPerSubscription { get; init; } = 200_000;

    /// <summary>Items per CreateMonitoredItems/ModifyMonitoredItems/SetMonitoringMode/DeleteMonitoredItems call.</summary>
    public int MaxMonitoredItemsPerCall { get; init; } = 50_000;

    /// <summary>Publish requests parked per session; beyond it the oldest is answered BadTooManyPublishRequests.</summary>
    public int MaxPublishRequestsPerSession { get; init; } = 20;

    public TimeSpan MinPublishingInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxPublishingInterval { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Fastest sampling; requests of 0 get this.</summary>
    public TimeSpan MinSamplingInterval { get; init; } = TimeSpan.FromMilliseconds(10);

    public TimeSpan MaxSamplingInterval { get; init; } = TimeSpan.FromHours(1);

    public uint MaxKeepAliveCount { get; init; } = 10_000;

    /// <summary>Longest a subscription lives without Publish requests (lifetime count x publishing interval).</summary>
    public TimeSpan MaxSubscriptionLifetime { get; init; } = TimeSpan.FromHours(2);

    /// <summary>Largest monitored item queue; bigger requests are revised down.</summary>
    public uint MaxQueueSize { get; init; } = 10_000;

    /// <summary>
    /// Sum of the queue sizes of one subscription's items: larger requests are revised down (at least 1 per item), so
    /// items x queue size cannot exceed it. 1,000,000 values are about 60 MB.
    /// </summary>
    public long MaxQueuedValuesPerSubscription { get; init; } = 1_000_000;

    /// <summary>
    /// Value slots all monitored item queues of the server may hold (beyond one per item). A queue that cannot grow
    /// within it overflows (oldest or newest dropped, overflow bit set) instead of allocating. 4,000,000 are about 240 MB.
    /// </summary>
    public long MaxQueuedValues { get; init; } = 4_000_000;

    /// <summary>Cap on notifications per NotificationMessage (the client's smaller value wins; 0: no cap).</summary>
    public int MaxNotificationsPerPublish { get; init; } = 100_000;

    /// <summary>Cap on the encoded notifications per message (the client's MaxResponseMessageSize also bounds it).</summary>
    public int MaxNotificationBytesPerPublish { get; init; } = 4 << 20;

    /// <summary>Sent messages kept per subscription for Republish until acknowledged.</summary>
    public int MaxRetransmissionQueueSize { get; init; } = 32;

    /// <summary>Bytes of sent messages kept per subscription for Republish; the oldest go first.</summary>
    public long MaxRetransmissionBytesPerSubscription { get; init; } = 16 << 20;

    /// <summary>Service requests of one connection in flight at once (parked ones included, for part 2's Publish).</summary>
    public int MaxPendingRequestsPerConnection { get; init; } = 1_000;
}

/// <summary>Configuration of an <see cref="OpcUaServer"/>.</summary>
public sealed record ServerOptions
{
    /// <summary>The endpoint clients use; its port is where the server listens (0 picks a free port).</summary>
    public string EndpointUrl { get; init; } = "opc.tcp://localhost:4840/";

    /// <summary>Listen on all interfaces instead of loopback only.</summary>
    public bool ListenOnAnyAddress { get; init; }

    public ServerIdentity Identity { get; init; } = new();

    public ServerLimits Limits { get; init; } = new();

    public bool AllowAnonymous { get; init; } = true;

    /// <summary>Validates UserName tokens; null means user names are not offered.</summary>
    public Func<string, string, bool>? UserValidator { get; init; }
}
