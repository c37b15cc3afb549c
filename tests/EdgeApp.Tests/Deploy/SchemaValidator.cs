namespace EdgeApp.Tests.Deploy;

/// <summary>Runs tests/k8s-schema/validate.mjs (npm kubernetes-models) on rendered YAML files.</summary>
internal static class SchemaValidator
{
    public static async Task<ExternalTool.Result> ValidateAsync(IEnumerable<string> files)
    {
        var modules = Path.Combine(DeployPaths.SchemaValidator, "node_modules", "kubernetes-models");
        Assert.True(Directory.Exists(modules),
            $"{modules} is missing: run `npm ci --prefix tests/k8s-schema` (needs node 20+ and npm) before the deploy tests.");
        return await ExternalTool.RunAsync("node", [Path.Combine(DeployPaths.SchemaValidator, "validate.mjs"), .. files]);
    }
}
