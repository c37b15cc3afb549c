using System.Diagnostics;
using EdgeApp.Deploy.Diagnostics;

namespace EdgeApp.Deploy.Manifest;

/// <summary>Runs the AppHost's manifest publisher (<c>dotnet run -- --publisher manifest</c>) and returns the file.</summary>
public static class AppHostManifestPublisher
{
    public static async Task<string> PublishAsync(string appHostProject, string outputPath, TextWriter log, CancellationToken cancellationToken)
    {
        if (!Directory.Exists(appHostProject) && !File.Exists(appHostProject))
        {
            throw new DeployException("(apphost)", "--apphost", $"'{appHostProject}' does not exist; pass --apphost or --manifest");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "run", "--project", appHostProject, "--", "--publisher", "manifest", "--output-path", Path.GetFullPath(outputPath) })
        {
            start.ArgumentList.Add(arg);
        }

        await log.WriteLineAsync($"Publishing the manifest of {appHostProject} ...");
        using var process = Process.Start(start) ?? throw new DeployException("(apphost)", "--apphost", "could not start 'dotnet'");
        var stdout = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (process.ExitCode != 0 || !File.Exists(outputPath))
        {
            throw new DeployException(
                "(apphost)",
                "--apphost",
                $"the manifest publisher exited with code {process.ExitCode}:{Environment.NewLine}{await stdout}{await stderr}");
        }

        return outputPath;
    }
}
