using EdgeApp.Deploy.Output;

namespace EdgeApp.Tests.Deploy;

public sealed class DriftTests
{
    /// <summary>
    /// The committed deploy/k8s must be what <c>generate --output deploy/k8s</c> writes for the current AppHost.
    /// On failure, run that command from the repository root and commit the result.
    /// </summary>
    [Fact]
    public async Task CommittedDeployTree_EqualsFreshOutput()
    {
        var fresh = await RenderedTree.GetAsync(ApplicationManifest.AppHost);
        Assert.True(Directory.Exists(DeployPaths.CommittedOutput), "deploy/k8s is missing: run `dotnet run --project src/EdgeApp.Deploy -- generate --output deploy/k8s` and commit it");

        var committed = OutputWriter.Read(DeployPaths.CommittedOutput);
        var directory = Path.Combine(DeployPaths.NewTempDirectory(), "k8s");
        OutputWriter.Write(directory, fresh.Result.Files);
        var generated = OutputWriter.Read(directory);

        var hint = " (regenerate: dotnet run --project src/EdgeApp.Deploy -- generate --output deploy/k8s)";
        Assert.True(committed.Keys.SequenceEqual(generated.Keys),
            $"file lists differ{hint}\nonly committed: {string.Join(", ", committed.Keys.Except(generated.Keys))}\nonly generated: {string.Join(", ", generated.Keys.Except(committed.Keys))}");
        foreach (var (path, content) in generated)
        {
            Assert.True(committed[path].ReplaceLineEndings("\n") == content, $"deploy/k8s/{path} is out of date{hint}");
        }
    }
}
