using System.Diagnostics;

namespace EdgeApp.AppHost.Hosting;

/// <summary>
/// Asks the container runtime whether its engine answers. A client without an engine (common on edge build
/// machines) must not make the AppHost declare containers: they would never start.
/// </summary>
internal static class ContainerRuntimeProbe
{
    public static bool IsHealthy()
    {
        var runtime = Environment.GetEnvironmentVariable("ASPIRE_CONTAINER_RUNTIME") ?? "docker";
        if (!ExecutableProbe.IsOnPath(runtime))
        {
            return false;
        }

        try
        {
            using var process = Process.Start(new ProcessStartInfo(runtime, "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            process?.ErrorDataReceived += (_, _) => { }; // drained so a chatty error cannot fill the pipe
            process?.BeginErrorReadLine();
            if (process is null)
            {
                return false;
            }

            if (!process.WaitForExit(TimeSpan.FromSeconds(5)))
            {
                process.Kill(entireProcessTree: true);
                return false;
            }

            return process.ExitCode == 0 && process.StandardOutput.ReadToEnd().Trim().Length > 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}

internal static class ExecutableProbe
{
    public static bool IsOnPath(string name) => Find(name) is not null;

    public static string? Find(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
}
