using EdgeApp.Deploy.Workloads;

namespace EdgeApp.Tests.Deploy;

public sealed class ToolingTests
{
    [Fact]
    public async Task SchemaValidator_RejectsInvalidDocuments()
    {
        var file = Path.Combine(DeployPaths.NewTempDirectory(), "invalid.yaml");
        await File.WriteAllTextAsync(file, """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: broken
            spec:
              replicas: one
              selector:
                matchLabels: {app: broken}
              template:
                spec:
                  containers:
                  - name: broken
                    ports:
                    - containerPort: eighty
            ---
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: pubsub
            spec:
              type: pubsub
              metadata: []
            ---
            apiVersion: example.com/v1
            kind: Unknown
            metadata:
              name: nobody-checks-me
            """);

        var report = await SchemaValidator.ValidateAsync([file]);

        Assert.Equal(1, report.ExitCode);
        Assert.Contains("spec/replicas must be integer", report.Output, StringComparison.Ordinal);
        Assert.Contains("containerPort must be integer", report.Output, StringComparison.Ordinal);
        Assert.Contains("spec.type must be <building block>.<name>", report.Output, StringComparison.Ordinal);
        Assert.Contains("spec.version must be", report.Output, StringComparison.Ordinal);
        Assert.Contains("no schema for example.com/v1", report.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Kustomize_FailsClearly_OnABrokenTree()
    {
        var directory = DeployPaths.NewTempDirectory();
        await File.WriteAllTextAsync(Path.Combine(directory, "kustomization.yaml"), "resources:\n- missing.yaml\n");

        var result = await ExternalTool.RunAsync("kubectl", ["kustomize", directory]);

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("missing.yaml", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Every module of the real AppHost publishes the image that <c>generate</c> prints and the overlays pin.</summary>
    [Fact]
    public async Task AppHostModules_PublishTheImagesTheGeneratorExpects()
    {
        var manifest = await ApplicationManifest.LoadAsync(ApplicationManifest.AppHost);
        var projects = manifest.OfType(EdgeApp.Deploy.Manifest.ResourceTypes.ProjectV0, EdgeApp.Deploy.Manifest.ResourceTypes.ProjectV1).ToList();
        Assert.NotEmpty(projects);

        foreach (var project in projects)
        {
            // The manifest's project paths are relative to wherever it was written; every module lives in src/<name>/.
            var file = Path.GetFileName(project.Path!);
            var path = Path.Combine(DeployPaths.RepositoryRoot, "src", Path.GetFileNameWithoutExtension(file), file);

            var result = await ExternalTool.RunAsync("dotnet", ["msbuild", path, "-getProperty:ContainerRepository", "-getProperty:ContainerUser"]);

            Assert.True(result.ExitCode == 0, result.Output + result.Error);
            Assert.Contains($"\"ContainerRepository\": \"{ImageName.Repository(project.Path!)}\"", result.Output, StringComparison.Ordinal);
            Assert.Contains("\"ContainerUser\": \"1654\"", result.Output, StringComparison.Ordinal);
        }

        var appHost = await ExternalTool.RunAsync("dotnet", ["msbuild", DeployPaths.AppHost, "-getProperty:ContainerRepository", "-getProperty:IsAspireHost"]);
        Assert.Contains("\"ContainerRepository\": \"\"", appHost.Output, StringComparison.Ordinal);
    }

    /// <summary>src/Directory.Build.targets must name module images exactly as the generator expects them.</summary>
    [Theory]
    [InlineData("EdgeApp.OpcPlc")]
    [InlineData("EdgeApp.Gateway")]
    public async Task ContainerPublishSettings_MatchTheGeneratorsImageNames(string project)
    {
        var directory = Path.Combine(DeployPaths.NewTempDirectory(), project);
        Directory.CreateDirectory(directory);
        await File.WriteAllTextAsync(Path.Combine(directory, "Directory.Build.targets"),
            $"""<Project><Import Project="{Path.Combine(DeployPaths.RepositoryRoot, "src", "Directory.Build.targets")}" /></Project>""");
        await File.WriteAllTextAsync(Path.Combine(directory, $"{project}.csproj"),
            """<Project Sdk="Microsoft.NET.Sdk.Web"><PropertyGroup><TargetFramework>net10.0</TargetFramework></PropertyGroup></Project>""");

        var result = await ExternalTool.RunAsync("dotnet",
            ["msbuild", "-getProperty:ContainerRepository", "-getProperty:ContainerImageTag", "-getProperty:ContainerUser", "-getProperty:EnableSdkContainerSupport"],
            workingDirectory: directory);

        Assert.True(result.ExitCode == 0, result.Output + result.Error);
        Assert.Contains($"\"ContainerRepository\": \"{ImageName.Repository($"{project}.csproj")}\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"ContainerImageTag\": \"latest\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"ContainerUser\": \"1654\"", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"EnableSdkContainerSupport\": \"true\"", result.Output, StringComparison.Ordinal);
    }
}
