namespace EdgeApp.Deploy;

/// <summary>What the <c>generate</c> command was asked for, with the defaults it documents.</summary>
public sealed record GeneratorSettings
{
    public string Namespace { get; init; } = "edge-app1";

    /// <summary>Registry prefix for the module images (e.g. <c>myregistry.azurecr.io</c>); none means local names.</summary>
    public string? Registry { get; init; }

    public string Tag { get; init; } = "latest";

    /// <summary>The overlay Flux and Arc deploy: <c>dev</c> or <c>edge</c>.</summary>
    public string Overlay { get; init; } = "edge";

    /// <summary>OTLP/gRPC endpoint of the OpenTelemetry collector that apps and Dapr send to.</summary>
    public string OtlpEndpoint { get; init; } = "http://otel-collector.observability.svc.cluster.local:4317";

    /// <summary>Git repository Flux pulls from.</summary>
    public string RepositoryUrl { get; init; } = "https://github.com/your-org/edgeapp";

    public string Branch { get; init; } = "main";

    /// <summary>The output folder relative to the repository root, as Flux sees it (e.g. <c>deploy/k8s</c>).</summary>
    public string RepositoryPath { get; init; } = "deploy/k8s";

    /// <summary>Values for non-secret parameters (<c>--parameter name=value</c>).</summary>
    public IReadOnlyDictionary<string, string> Parameters { get; init; } = new Dictionary<string, string>();

    public static readonly IReadOnlyList<string> Overlays = ["dev", "edge"];

    /// <summary>The namespace an overlay deploys into.</summary>
    public string NamespaceFor(string overlay) => overlay == "edge" ? Namespace : $"{Namespace}-{overlay}";
}
