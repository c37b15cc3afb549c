using System.Collections.Concurrent;
using System.Diagnostics;

namespace EdgeApp.Tests.Infrastructure;

/// <summary>
/// A module (Gateway, Sensor, ...) run as its own process from its build output, so fault tests can kill it
/// with SIGKILL and start it again exactly as an edge node would experience it.
/// </summary>
public sealed class ModuleProcess : IAsyncDisposable
{
    private readonly string assemblyPath;
    private readonly IReadOnlyDictionary<string, string> environment;
    private readonly ConcurrentQueue<string> output = new();
    private Process? process;

    public ModuleProcess(string project, IReadOnlyDictionary<string, string> environment)
    {
        Port = RedisServer.FreePort();
        assemblyPath = BuildOutput(project);
        var env = new Dictionary<string, string>(environment) { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port}" };
        this.environment = env;
    }

    public int Port { get; }

    public int Starts { get; private set; }

    /// <summary>The process's recent output, for failure messages.</summary>
    public string RecentOutput => string.Join('\n', output.TakeLast(40));

    public static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "EdgeApp.sln")))
        {
            directory = directory.Parent;
        }

        return directory?.FullName ?? throw new InvalidOperationException("EdgeApp.sln not found above " + AppContext.BaseDirectory);
    }

    public async Task StartAsync(TimeSpan timeout)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(assemblyPath)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start " + assemblyPath);
        process.OutputDataReceived += (_, e) => Keep(e.Data);
        process.ErrorDataReceived += (_, e) => Keep(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Starts++;

        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"{Path.GetFileName(assemblyPath)} exited with {process.ExitCode}:\n{RecentOutput}");
            }

            try
            {
                using var response = await http.GetAsync($"http://127.0.0.1:{Port}/alive");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException)
            {
                // Slow to answer while starting.
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{Path.GetFileName(assemblyPath)} did not answer /alive within {timeout.TotalSeconds:F0} s:\n{RecentOutput}");
    }

    /// <summary>SIGKILL: no shutdown hooks, no flushes, in-flight work lost, as in a power cut of the process.</summary>
    public async Task KillAsync()
    {
        if (process is { HasExited: false })
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        process?.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        output.Enqueue(line);
        while (output.Count > 200)
        {
            output.TryDequeue(out _);
        }
    }

    private static string BuildOutput(string project)
    {
        // The test assembly's configuration (Debug/Release) is the one the module was built in.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var path = Path.Combine(RepositoryRoot(), "src", project, "bin", configuration, "net10.0", project + ".dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Build {project} first; expected {path}.");
    }
}
