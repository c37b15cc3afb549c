using EdgeApp.Deploy;

namespace EdgeApp.Tests.Deploy;

/// <summary>The generated shell scripts, run with bash against a stand-in kubectl that records what it was asked.</summary>
public sealed class ScriptTests
{
    private const string FakeKubectl = """
        #!/usr/bin/env bash
        # Stand-in kubectl: secrets listed in $FAKE_STATE/existing exist; created ones are recorded with their stdin.
        echo "$*" >> "$FAKE_STATE/calls"
        if [ "$1" = "get" ] && [ "$2" = "namespace" ]; then exit 0; fi
        if [ "$3" = "get" ] && [ "$4" = "secret" ]; then grep -qx "$5" "$FAKE_STATE/existing" 2>/dev/null; exit $?; fi
        if [ "$3" = "create" ] && [ "$4" = "secret" ]; then cat > "$FAKE_STATE/secret-$6"; exit 0; fi
        exit 3
        """;

    [Fact]
    public async Task SecretsScript_CreatesMissingSecretsThroughStdin_AndKeepsExistingOnes()
    {
        var result = Generator.Generate(await ApplicationManifest.LoadAsync("edgeapp"), ApplicationManifest.Settings);
        var directory = DeployPaths.NewTempDirectory();
        var state = Path.Combine(directory, "state");
        var bin = Path.Combine(directory, "bin");
        Directory.CreateDirectory(state);
        Directory.CreateDirectory(bin);
        await File.WriteAllTextAsync(Path.Combine(bin, "kubectl"), FakeKubectl.ReplaceLineEndings("\n") + "\n");
        Assert.Equal(0, (await ExternalTool.RunAsync("chmod", ["+x", Path.Combine(bin, "kubectl")])).ExitCode);
        var script = Path.Combine(directory, "create-secrets.sh");
        await File.WriteAllTextAsync(script, result.FileText("secrets/create-secrets.sh"));
        const string EventHubs = "Endpoint=sb://example.servicebus.windows.net/;SharedAccessKeyName=k;SharedAccessKey=v";

        var missing = await RunScriptAsync(script, bin, state, []);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("set EVENTHUBS", missing.Error, StringComparison.Ordinal);

        File.Delete(Path.Combine(state, "calls"));
        var run = await RunScriptAsync(script, bin, state, [("EVENTHUBS", EventHubs), ("NAMESPACE", "plant-7")]);

        Assert.True(run.ExitCode == 0, run.Error);
        var password = await File.ReadAllTextAsync(Path.Combine(state, "secret-redis-password"));
        Assert.Matches("^[a-zA-Z0-9]{32}$", password);
        Assert.Equal(EventHubs, await File.ReadAllTextAsync(Path.Combine(state, "secret-eventhubs")));
        var calls = await File.ReadAllTextAsync(Path.Combine(state, "calls"));
        Assert.DoesNotContain(EventHubs, calls, StringComparison.Ordinal);
        Assert.DoesNotContain(password, calls, StringComparison.Ordinal);
        Assert.Contains("--namespace plant-7 create secret generic eventhubs --from-file=value=/dev/stdin", calls, StringComparison.Ordinal);

        File.Delete(Path.Combine(state, "secret-redis-password"));
        await File.WriteAllTextAsync(Path.Combine(state, "existing"), "redis-password\neventhubs\n");
        var again = await RunScriptAsync(script, bin, state, []);
        Assert.True(again.ExitCode == 0, again.Error);
        Assert.False(File.Exists(Path.Combine(state, "secret-redis-password")), "an existing generated secret must be kept");
    }

    [Fact]
    public async Task Scripts_AreValidBash()
    {
        var result = Generator.Generate(EdgeApp.Deploy.Manifest.AspireManifest.Load(DeployPaths.Manifest("edgeapp")), ApplicationManifest.Settings);

        foreach (var file in result.Files.Where(f => f.Path.EndsWith(".sh", StringComparison.Ordinal)))
        {
            Assert.True(file.Executable, $"{file.Path} must be executable");
            var path = Path.Combine(DeployPaths.NewTempDirectory(), Path.GetFileName(file.Path));
            await File.WriteAllTextAsync(path, file.Content);
            var check = await ExternalTool.RunAsync("bash", ["-n", path]);
            Assert.True(check.ExitCode == 0, $"{file.Path}: {check.Error}");
        }
    }

    private static async Task<ExternalTool.Result> RunScriptAsync(string script, string bin, string state, IEnumerable<(string Name, string Value)> environment)
    {
        var env = new List<string> { "-i", $"PATH={bin}:/usr/bin:/bin", $"FAKE_STATE={state}" };
        env.AddRange(environment.Select(e => $"{e.Name}={e.Value}"));
        return await ExternalTool.RunAsync("env", [.. env, "bash", script]);
    }
}
