using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Kubernetes.CustomResources;
using k8s.Models;

namespace EdgeApp.Deploy.Dapr;

/// <summary>
/// One Dapr Configuration per name that sidecars refer to (<c>dapr.io/config</c>): traces to the OpenTelemetry
/// collector over OTLP/gRPC, metrics on, mTLS on.
/// </summary>
public static class DaprConfigurationBuilder
{
    public static IEnumerable<DaprConfiguration> Build(IReadOnlyList<DaprSidecar> sidecars, string otlpEndpoint) =>
        sidecars.Select(s => s.Config).OfType<string>().Distinct(StringComparer.Ordinal).Select(name => new DaprConfiguration
        {
            Metadata = new V1ObjectMeta { Name = KubernetesName.Of(name), Labels = Labels.For(name, "dapr-configuration") },
            Spec = new DaprConfigurationSpec
            {
                Tracing = new DaprTracing
                {
                    SamplingRate = "1",
                    Otel = new DaprOtel { EndpointAddress = HostAndPort(otlpEndpoint), IsSecure = otlpEndpoint.StartsWith("https://", StringComparison.Ordinal), Protocol = "grpc" },
                },
                Metric = new DaprEnabled { Enabled = true },
                // Sidecars take mTLS from the control plane's configuration; stating it here documents the intent
                // and keeps it on where this Configuration is used as the system one.
                Mtls = new DaprEnabled { Enabled = true },
            },
        });

    /// <summary>Dapr wants <c>host:port</c> without a scheme.</summary>
    public static string HostAndPort(string endpoint) =>
        Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) && uri.Host.Length > 0 ? $"{uri.Host}:{uri.Port}" : endpoint;
}
