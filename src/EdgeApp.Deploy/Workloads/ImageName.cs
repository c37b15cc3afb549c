using System.Text.RegularExpressions;

namespace EdgeApp.Deploy.Workloads;

/// <summary>
/// The image name of a module project. It must match <c>ContainerRepository</c> in <c>src/Directory.Build.targets</c>:
/// <c>edgeapp/</c> + the project file name without the <c>EdgeApp.</c> prefix, in kebab case
/// (<c>EdgeApp.OpcPlc.csproj</c> -> <c>edgeapp/opc-plc</c>).
/// </summary>
public static partial class ImageName
{
    public const string RepositoryPrefix = "edgeapp/";

    public static string Repository(string projectPath)
    {
        var file = Path.GetFileNameWithoutExtension(projectPath.Replace('\\', '/'));
        if (file.StartsWith("EdgeApp.", StringComparison.Ordinal))
        {
            file = file["EdgeApp.".Length..];
        }

        return RepositoryPrefix + Kebab(file);
    }

    public static string Kebab(string name) =>
        WordBoundary().Replace(name, "-").Replace('.', '-').Replace('_', '-').ToLowerInvariant();

    public static string WithRegistry(string repository, string? registry) =>
        string.IsNullOrEmpty(registry) ? repository : $"{registry.TrimEnd('/')}/{repository}";

    [GeneratedRegex("(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")]
    private static partial Regex WordBoundary();
}
