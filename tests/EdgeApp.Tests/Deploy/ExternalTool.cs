using System.ComponentModel;
using System.Diagnostics;

namespace EdgeApp.Tests.Deploy;

/// <summary>Runs kubectl, node and dotnet for the generator tests, bounded in time, with clear failures.</summary>
internal static class ExternalTool
{
    public sealed record Result(int ExitCode, string Output, string Error);

    public static async Task<Result> RunAsync(string tool, IEnumerable<string> arguments, string? workingDirectory = null, TimeSpan? timeout = null)
    {
        var start = new ProcessStartInfo(tool)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? DeployPaths.RepositoryRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {tool}");
        }
        catch (Win32Exception e)
        {
            throw new InvalidOperationException(
                $"'{tool}' is not installed or not on PATH ({e.Message}). The deploy tests need it: " +
                (tool == "kubectl" ? "install kubectl (1.27 or later; `kubectl kustomize` renders offline)." : $"install {tool}."),
                e);
        }

        using (process)
        {
            var output = process.StandardOutput.ReadToEndAsync();
            var error = process.StandardError.ReadToEndAsync();
            using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromMinutes(2));
            try
            {
                await process.WaitForExitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"{tool} {string.Join(' ', arguments)} did not finish in time");
            }

            return new Result(process.ExitCode, await output, await error);
        }
    }

    /// <summary><c>kubectl kustomize DIR</c>: the rendered multi-document YAML, or a failed assertion with kubectl's message.</summary>
    public static async Task<string> KustomizeAsync(string directory)
    {
        var result = await RunAsync("kubectl", ["kustomize", directory]);
        Assert.True(result.ExitCode == 0, $"kubectl kustomize {directory} failed:\n{result.Error}");
        return result.Output;
    }
}
