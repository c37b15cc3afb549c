using EdgeApp.Deploy;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Tests.Deploy;

/// <summary>
/// Manifests the end-to-end tests run on: <c>apphost</c> is the real AppHost's manifest, published once per test
/// run by its manifest publisher (the path <c>generate</c> takes without --manifest); any other name is a
/// fixture in TestData/Deploy/manifests.
/// </summary>
internal static class ApplicationManifest
{
    public const string AppHost = "apphost";

    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The settings of <c>generate --output deploy/k8s</c> run from the repository root (all defaults).</summary>
    public static GeneratorSettings Settings { get; } = new() { RepositoryPath = "deploy/k8s" };

    public static async Task<AspireManifest> LoadAsync(string source) => source == AppHost
        ? AspireManifest.Parse(await Published.Value)
        : AspireManifest.Load(DeployPaths.Manifest(source));

    private static async Task<string> PublishAsync()
    {
        var path = Path.Combine(DeployPaths.NewTempDirectory(), "aspire-manifest.json");
        await AppHostManifestPublisher.PublishAsync(DeployPaths.AppHost, path, TextWriter.Null, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(8));
        return await File.ReadAllTextAsync(path);
    }
}
