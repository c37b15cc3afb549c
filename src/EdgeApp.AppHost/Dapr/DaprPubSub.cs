using EdgeApp.AppHost.Hosting;
using EdgeApp.AppHost.Redis;

namespace EdgeApp.AppHost.Dapr;

/// <summary>
/// The app's pub/sub as the AppHost wires it: through Dapr sidecars on <see cref="Component"/> when sidecars run
/// (publish mode, or daprd on PATH), otherwise straight to Redis Streams in the same layout.
/// </summary>
public sealed record DaprPubSub(
    IDistributedApplicationBuilder Builder,
    DaprPubSubComponent Component,
    EdgeRedis Redis,
    EdgeAppHostSettings Settings,
    long MaxLenApprox)
{
    public bool UsesSidecars => Settings.UseDaprSidecars;
}
