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
}
