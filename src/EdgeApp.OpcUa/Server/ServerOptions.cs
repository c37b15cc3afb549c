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

    public TimeSpan HelloTimeout { get; init; } = TimeSpan.FromSeconds(5);

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

    public int MaxStringLength { get; init; } = 1 << 20;

    public int MaxByteStringLength { get; init; } = 16 << 20;

    public int MaxArrayLength { get; init; } = 1 << 20;

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
