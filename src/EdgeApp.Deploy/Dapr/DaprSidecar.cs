using System.Globalization;

namespace EdgeApp.Deploy.Dapr;

/// <summary>A <c>dapr.v0</c> resource: the sidecar the AppHost attached to <see cref="Application"/>.</summary>
public sealed record DaprSidecar(
    string Name,
    string Application,
    string AppId,
    IReadOnlyList<string> Components,
    int? AppPort,
    string? AppProtocol,
    string? Config,
    bool EnableMetrics,
    bool LogAsJson,
    string? LogLevel,
    bool? EnableApiLogging,
    int? AppMaxConcurrency,
    string? AppHealthCheckPath)
{
    /// <summary>daprd's Prometheus port (the injector's default).</summary>
    public const int MetricsPort = 9090;

    /// <summary>
    /// The annotations the Dapr sidecar injector reads. They belong on the pod template: the injector
    /// only sees pods (Aspirate once put them on the Deployment, where they did nothing).
    /// </summary>
    public Dictionary<string, string> Annotations(int defaultAppPort)
    {
        var annotations = new Dictionary<string, string>
        {
            ["dapr.io/enabled"] = "true",
            ["dapr.io/app-id"] = AppId,
            ["dapr.io/app-port"] = (AppPort ?? defaultAppPort).ToString(CultureInfo.InvariantCulture),
            ["dapr.io/app-protocol"] = AppProtocol ?? "http",
        };
        if (Config is not null)
        {
            annotations["dapr.io/config"] = Config;
        }

        annotations["dapr.io/enable-metrics"] = EnableMetrics ? "true" : "false";
        if (EnableMetrics)
        {
            annotations["dapr.io/metrics-port"] = MetricsPort.ToString(CultureInfo.InvariantCulture);
        }

        annotations["dapr.io/log-as-json"] = LogAsJson ? "true" : "false";
        if (LogLevel is not null)
        {
            annotations["dapr.io/log-level"] = LogLevel;
        }

        if (EnableApiLogging is { } apiLogging)
        {
            annotations["dapr.io/enable-api-logging"] = apiLogging ? "true" : "false";
        }

        if (AppMaxConcurrency is { } concurrency)
        {
            annotations["dapr.io/app-max-concurrency"] = concurrency.ToString(CultureInfo.InvariantCulture);
        }

        if (AppHealthCheckPath is not null)
        {
            annotations["dapr.io/enable-app-health-check"] = "true";
            annotations["dapr.io/app-health-check-path"] = AppHealthCheckPath;
        }

        // The sidecar gets requests and limits like every other container.
        annotations["dapr.io/sidecar-cpu-request"] = "50m";
        annotations["dapr.io/sidecar-memory-request"] = "64Mi";
        annotations["dapr.io/sidecar-cpu-limit"] = "500m";
        annotations["dapr.io/sidecar-memory-limit"] = "256Mi";
        return annotations;
    }
}
