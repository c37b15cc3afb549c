namespace EdgeApp.AppHost.Dapr;

/// <summary>
/// The Dapr sidecar of one app, described in publish mode as a <c>dapr.v0</c> manifest resource (the shape
/// CommunityToolkit's Dapr integration emits) for the Kubernetes generator to turn into pod annotations.
/// </summary>
public sealed class DaprSidecarResource(string name, string appId, DaprPubSubComponent pubSub) : Resource(name)
{
    public string AppId { get; } = appId;

    public DaprPubSubComponent PubSub { get; } = pubSub;
}

/// <summary>A local <c>daprd</c> process next to an app, for run mode on machines that have Dapr installed.</summary>
public sealed class DaprdResource(string name, string workingDirectory) : ExecutableResource(name, "daprd", workingDirectory)
{
    internal const string HttpEndpointName = "http";
    internal const string GrpcEndpointName = "grpc";
    internal const string MetricsEndpointName = "metrics";

    public EndpointReference HttpEndpoint => new(this, HttpEndpointName);

    public EndpointReference GrpcEndpoint => new(this, GrpcEndpointName);
}
