using EdgeApp.Deploy;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Tests.Deploy;

/// <summary>
/// Fixture manifests -> the expected tree in TestData/Deploy/expected/&lt;case&gt;, file by file. After an intended
/// change, regenerate with EDGEAPP_UPDATE_GOLDEN=1 and review the diff.
/// </summary>
public sealed class GoldenOutputTests
{
    public static TheoryData<string> Cases => new() { "edgeapp", "toolkit-dapr" };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Generate_MatchesTheExpectedTree(string name)
    {
        var result = Generator.Generate(AspireManifest.Load(DeployPaths.Manifest(name)), new GeneratorSettings());
        var actual = result.Files.ToDictionary(f => f.Path, f => f.Content, StringComparer.Ordinal);
        actual["warnings.txt"] = string.Join('\n', result.Warnings) + "\n";
        var expectedDirectory = DeployPaths.Expected(name);

        if (Environment.GetEnvironmentVariable("EDGEAPP_UPDATE_GOLDEN") == "1")
        {
            if (Directory.Exists(expectedDirectory))
            {
                Directory.Delete(expectedDirectory, recursive: true);
            }

            foreach (var (path, content) in actual)
            {
                var file = Path.Combine(expectedDirectory, path);
                Directory.CreateDirectory(Path.GetDirectoryName(file)!);
                File.WriteAllText(file, content);
            }
        }

        var expected = Directory.EnumerateFiles(expectedDirectory, "*", SearchOption.AllDirectories)
            .ToDictionary(f => Path.GetRelativePath(expectedDirectory, f).Replace('\\', '/'), File.ReadAllText, StringComparer.Ordinal);
        Assert.Equal(expected.Keys.Order(StringComparer.Ordinal), actual.Keys.Order(StringComparer.Ordinal));
        foreach (var (path, content) in expected)
        {
            Assert.True(content == actual[path], $"{path} differs from TestData/Deploy/expected/{name}/{path}:\n{actual[path]}");
        }
    }
}
