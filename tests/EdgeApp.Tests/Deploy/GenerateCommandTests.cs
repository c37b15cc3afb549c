using System.CommandLine;
using System.Text.Json.Nodes;
using EdgeApp.Deploy.Cli;

namespace EdgeApp.Tests.Deploy;

public sealed class GenerateCommandTests
{
    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var root = new RootCommand { GenerateCommand.Create(output, error) };
        var exitCode = await root.Parse(["generate", .. args]).InvokeAsync();
        return (exitCode, output.ToString(), error.ToString());
    }

    private static string WriteManifest(JsonObject resources)
    {
        var path = Path.Combine(DeployPaths.NewTempDirectory(), "aspire-manifest.json");
        File.WriteAllText(path, new JsonObject { ["resources"] = resources.DeepClone() }.ToJsonString());
        return path;
    }

    [Fact]
    public async Task Generate_WritesTheTree_AndPrintsTheExpectedImages()
    {
        var output = Path.Combine(DeployPaths.NewTempDirectory(), "k8s");

        var (exitCode, stdout, stderr) = await RunAsync("--manifest", DeployPaths.Manifest("edgeapp"), "--output", output, "--registry", "acr.example.io", "--tag", "2.0.1");

        Assert.True(exitCode == 0, stderr);
        Assert.Contains("acr.example.io/edgeapp/sensor:2.0.1", stdout, StringComparison.Ordinal);
        Assert.Contains("acr.example.io/edgeapp/opc-publisher:2.0.1", stdout, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "base", "kustomization.yaml")));
        Assert.True(File.Exists(Path.Combine(output, "flux", "flux-kustomization.yaml")));
        Assert.True(File.Exists(Path.Combine(output, "arc", "configure-flux.sh")));

        // Running again replaces the tree it owns.
        File.WriteAllText(Path.Combine(output, "base", "stale.yaml"), "stale");
        Assert.Equal(0, (await RunAsync("--manifest", DeployPaths.Manifest("edgeapp"), "--output", output)).ExitCode);
        Assert.False(File.Exists(Path.Combine(output, "base", "stale.yaml")));
    }

    [Fact]
    public async Task Generate_MissingParameter_ExitsNonZero_NamingResourceAndField()
    {
        var resources = TestManifests.Basic();
        resources["level"] = JsonNode.Parse("""{"type":"parameter.v0","value":"{level.inputs.value}","inputs":{"value":{"type":"string"}}}""");
        resources["sensor"]!["env"]!["Logging__LogLevel__Default"] = "{level.value}";
        var output = Path.Combine(DeployPaths.NewTempDirectory(), "k8s");

        var (exitCode, _, stderr) = await RunAsync("--manifest", WriteManifest(resources), "--output", output);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error: resource 'level', field 'inputs.value'", stderr, StringComparison.Ordinal);
        Assert.Contains("field 'env.Logging__LogLevel__Default'", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(output));

        var (fixedExit, _, fixedError) = await RunAsync("--manifest", WriteManifest(resources), "--output", output, "--parameter", "level=Warning");
        Assert.True(fixedExit == 0, fixedError);
        Assert.Contains("Logging__LogLevel__Default: Warning", File.ReadAllText(Path.Combine(output, "base", "sensor", "configmap.yaml")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_UnresolvableExpression_ExitsNonZero_NamingResourceAndField()
    {
        var resources = TestManifests.Basic();
        resources["sensor"]!["env"]!["Broken"] = "{cache.bindings.tcp.host}";

        var (exitCode, _, stderr) = await RunAsync("--manifest", WriteManifest(resources), "--output", Path.Combine(DeployPaths.NewTempDirectory(), "k8s"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("error: resource 'sensor', field 'env.Broken': expression {cache.bindings.tcp.host} refers to resource 'cache'", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_UnknownType_WarnsAndSucceeds()
    {
        var resources = TestManifests.Basic();
        resources["insights"] = JsonNode.Parse("""{"type":"azure.bicep.v1","path":"x.bicep"}""");

        var (exitCode, _, stderr) = await RunAsync("--manifest", WriteManifest(resources), "--output", Path.Combine(DeployPaths.NewTempDirectory(), "k8s"));

        Assert.Equal(0, exitCode);
        Assert.Contains("warning: resource 'insights': unknown resource type 'azure.bicep.v1'; skipped", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_RefusesAFolderItDidNotWrite()
    {
        var output = DeployPaths.NewTempDirectory();
        File.WriteAllText(Path.Combine(output, "precious.txt"), "keep me");

        var (exitCode, _, stderr) = await RunAsync("--manifest", DeployPaths.Manifest("edgeapp"), "--output", output);

        Assert.NotEqual(0, exitCode);
        Assert.Contains("--output", stderr, StringComparison.Ordinal);
        Assert.True(File.Exists(Path.Combine(output, "precious.txt")));
    }

    [Fact]
    public async Task Generate_WithoutManifest_AndNoAppHost_FailsClearly()
    {
        var (exitCode, _, stderr) = await RunAsync("--apphost", "/nonexistent/EdgeApp.AppHost", "--output", Path.Combine(DeployPaths.NewTempDirectory(), "k8s"));

        Assert.NotEqual(0, exitCode);
        Assert.Contains("'/nonexistent/EdgeApp.AppHost' does not exist", stderr, StringComparison.Ordinal);
    }
}
