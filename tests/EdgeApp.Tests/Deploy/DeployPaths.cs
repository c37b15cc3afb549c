namespace EdgeApp.Tests.Deploy;

/// <summary>Locations in the source tree the generator tests read (test data, the committed output, tools).</summary>
internal static class DeployPaths
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string TestData => Path.Combine(RepositoryRoot, "tests", "EdgeApp.Tests", "TestData", "Deploy");

    public static string Manifest(string name) => Path.Combine(TestData, "manifests", $"{name}.json");

    public static string Expected(string name) => Path.Combine(TestData, "expected", name);

    public static string CommittedOutput => Path.Combine(RepositoryRoot, "deploy", "k8s");

    public static string AppHost => Path.Combine(RepositoryRoot, "src", "EdgeApp.AppHost");

    public static string SchemaValidator => Path.Combine(RepositoryRoot, "tests", "k8s-schema");

    public static string NewTempDirectory()
    {
        var path = Path.Combine(Path.GetTempPath(), "edgeapp-deploy-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(path);
        return path;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeApp.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("EdgeApp.sln not found above " + AppContext.BaseDirectory);
    }
}
