using System.Collections.Concurrent;
using EdgeApp.Deploy;
using EdgeApp.Deploy.Output;

namespace EdgeApp.Tests.Deploy;

/// <summary>
/// A generated tree written to a temp folder and rendered with <c>kubectl kustomize</c> (base, every overlay,
/// flux), shared by the tests of one manifest source.
/// </summary>
internal sealed class RenderedTree
{
    private static readonly ConcurrentDictionary<string, Lazy<Task<RenderedTree>>> Cache = new();

    private RenderedTree(string directory, GenerationResult result, IReadOnlyDictionary<string, string> rendered)
    {
        Directory = directory;
        Result = result;
        Rendered = rendered;
    }

    /// <summary>The folders <c>kubectl kustomize</c> must render.</summary>
    public static IReadOnlyList<string> KustomizeRoots { get; } = ["base", "overlays/dev", "overlays/edge", "flux"];

    public string Directory { get; }

    public GenerationResult Result { get; }

    /// <summary>Kustomize root -> rendered multi-document YAML.</summary>
    public IReadOnlyDictionary<string, string> Rendered { get; }

    public static Task<RenderedTree> GetAsync(string source) =>
        Cache.GetOrAdd(source, s => new Lazy<Task<RenderedTree>>(() => BuildAsync(s))).Value;

    private static async Task<RenderedTree> BuildAsync(string source)
    {
        var manifest = await ApplicationManifest.LoadAsync(source);
        var result = Generator.Generate(manifest, ApplicationManifest.Settings);
        var directory = DeployPaths.NewTempDirectory();
        OutputWriter.Write(directory, result.Files);

        var rendered = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var root in KustomizeRoots)
        {
            rendered[root] = await ExternalTool.KustomizeAsync(Path.Combine(directory, root));
        }

        return new RenderedTree(directory, result, rendered);
    }
}
