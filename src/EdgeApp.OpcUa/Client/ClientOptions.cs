using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Client;

/// <summary>Who the client authenticates as when it activates its session (Part 4 §5.6.3).</summary>
public abstract record UserIdentity
{
    public static UserIdentity Anonymous { get; } = new AnonymousIdentity();

    public static UserIdentity ForUser(string userName, string password) => new UserNameIdentity(userName, password);
}

public sealed record AnonymousIdentity : UserIdentity;

public sealed record UserNameIdentity(string UserName, string Password) : UserIdentity
{
    // Keep the password out of logs.
    public override string ToString() => $"UserNameIdentity {{ UserName = {UserName} }}";
}

/// <summary>Configuration of an <see cref="OpcUaClient"/>.</summary>
public sealed record ClientOptions
{
    public string ApplicationUri { get; init; } = "urn:edgeapp:opcua:client";

    public string ApplicationName { get; init; } = "EdgeApp OPC UA Client";

    public string SessionName { get; init; } = "EdgeApp session";

    public string SecurityPolicyUri { get; init; } = SecurityPolicyUris.None;

    public UserIdentity Identity { get; init; } = UserIdentity.Anonymous;

    /// <summary>Bounds TCP connect, Hello/Acknowledge and OpenSecureChannel together.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Bounds each service call; also sent to the server as TimeoutHint.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public TimeSpan SessionTimeout { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Requested security token lifetime; the token is renewed at 75% of the revised one.</summary>
    public TimeSpan TokenLifetime { get; init; } = TimeSpan.FromHours(1);

    /// <summary>Idle time after which the client reads ServerStatus/State to keep the session alive; zero disables.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(20);

    public TransportLimits Transport { get; init; } = new();

    /// <summary>Create and activate a session on connect; false gives a bare channel (discovery only).</summary>
    public bool CreateSession { get; init; } = true;

    /// <summary>What the client does when the connection breaks.</summary>
    public ReconnectPolicy Reconnect { get; init; } = new();

    /// <summary>Publish requests kept in flight (Part 4 §5.13.5); more hide the round trip at high rates.</summary>
    public int MaxPublishRequests { get; init; } = 3;

    /// <summary>Monitored items per CreateMonitoredItems/DeleteMonitoredItems call; larger sets are split.</summary>
    public int MaxMonitoredItemsPerCall { get; init; } = 5_000;
}

/// <summary>
/// Automatic reconnection: a new connection with exponential backoff (and jitter), then the session is re-activated
/// on it, or a new one created, and every subscription is restored (see <see cref="RestoreKind"/>).
/// </summary>
public sealed record ReconnectPolicy
{
    public bool Enabled { get; init; } = true;

    public TimeSpan InitialDelay { get; init; } = TimeSpan.FromMilliseconds(250);

    public TimeSpan MaxDelay { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>How a reconnect restored the client's state.</summary>
public enum RestoreKind
{
    /// <summary>The server still had the session: it moved to the new channel with its subscriptions.</summary>
    SessionReactivated,

    /// <summary>A new session; the server still had the subscriptions and transferred them to it.</summary>
    NewSession,

    /// <summary>A new session; at least one subscription was gone and was created again (a gap was reported).</summary>
    SubscriptionsRecreated,
}
