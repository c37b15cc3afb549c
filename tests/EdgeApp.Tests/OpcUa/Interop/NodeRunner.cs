using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace EdgeApp.Tests.OpcUa.Interop;

/// <summary>
/// Runs the node-opcua peers in tests/interop. A missing node or node_modules is a failure with instructions, never a
/// skip: CI installs them with <c>npm ci --prefix tests/interop</c>.
/// </summary>
public static class NodeRunner
{
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string InteropDirectory => Path.Combine(RepoRoot, "tests", "interop");

    private static string FindRepoRoot()
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

    /// <summary>Fails with a clear message unless node and the installed node-opcua package are present.</summary>
    public static void EnsureInstalled()
    {
        var marker = Path.Combine(InteropDirectory, "node_modules", "node-opcua", "package.json");
        Assert.True(File.Exists(marker), $"node-opcua is not installed: run `npm ci` in {InteropDirectory} (CI runs `npm ci --prefix tests/interop`).");
        try
        {
            using var probe = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, UseShellExecute = false })!;
            Assert.True(probe.WaitForExit(10_000) && probe.ExitCode == 0, "`node --version` failed: install Node.js 20 or newer.");
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            Assert.Fail($"node is not on PATH ({ex.Message}): install Node.js 20 or newer, then `npm ci` in {InteropDirectory}.");
        }
    }

    public static ProcessStartInfo StartInfo(string script, params string[] args)
    {
        var info = new ProcessStartInfo("node")
        {
            WorkingDirectory = InteropDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(Path.Combine(InteropDirectory, script));
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return info;
    }

    /// <summary>Runs a script to completion within <paramref name="timeout"/> and parses the last stdout line as JSON.</summary>
    public static async Task<JsonElement> RunJsonAsync(TimeSpan timeout, string script, params string[] args)
    {
        EnsureInstalled();
        using var process = Process.Start(StartInfo(script, args))!;
        var stderr = new StringBuilder();
        process.ErrorDataReceived += (_, e) => stderr.AppendLine(e.Data);
        process.BeginErrorReadLine();
        var stdout = process.StandardOutput.ReadToEndAsync();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish within {timeout}. stderr: {stderr}");
        }

        var lines = (await stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.True(lines.Length > 0, $"{script} printed nothing (exit {process.ExitCode}). stderr: {stderr}");
        return JsonDocument.Parse(lines[^1]).RootElement.Clone();
    }

    /// <summary>Asserts that every step in the script's JSON succeeded, naming the failed ones.</summary>
    public static void AssertAllStepsOk(JsonElement result, params string[] requiredSteps)
    {
        var steps = result.GetProperty("steps").EnumerateArray().ToArray();
        var failed = steps.Where(s => !s.GetProperty("ok").GetBoolean()).Select(s => $"{s.GetProperty("name")}: {s.GetProperty("detail")}").ToArray();
        Assert.True(failed.Length == 0, "failed steps: " + string.Join(" | ", failed));
        var names = steps.Select(s => s.GetProperty("name").GetString()).ToHashSet();
        foreach (var required in requiredSteps)
        {
            Assert.Contains(required, names);
        }

        Assert.True(result.GetProperty("ok").GetBoolean());
    }
}
