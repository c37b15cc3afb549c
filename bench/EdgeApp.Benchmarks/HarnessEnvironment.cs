using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace EdgeApp.Benchmarks;

/// <summary>What the process-based harnesses share: ports, the repository, load, health waits and node-opcua's reader.</summary>
internal static class HarnessEnvironment
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static string LoadAverage() => File.Exists("/proc/loadavg") ? File.ReadAllText("/proc/loadavg").Trim() : "n/a";

    public static string RepoRoot()
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeApp.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("EdgeApp.sln not found");
        }

        return root;
    }

    /// <summary>Polls <c>/health</c> on a local port until it answers 200.</summary>
    public static async Task WaitHealthyAsync(int port, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                if ((await http.GetAsync($"http://127.0.0.1:{port}/health")).StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // not up yet
            }
            catch (TaskCanceledException)
            {
                // slow to answer
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"Nothing healthy on port {port} within {timeout}.");
    }

    /// <summary>Runs tests/interop/plc-reader.js against a PLC: node-opcua reads N fast nodes for a while; its last line is the JSON result.</summary>
    public static async Task<JsonElement> RunNodeReaderAsync(string root, int port, int count, int seconds)
    {
        var interop = Path.Combine(root, "tests", "interop");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "node-opcua")))
        {
            throw new InvalidOperationException("node-opcua missing: run `npm ci --prefix tests/interop` (or pass --node-opcua false)");
        }

        var info = new ProcessStartInfo("node") { WorkingDirectory = interop, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { "plc-reader.js", $"opc.tcp://127.0.0.1:{port}", count.ToString(CultureInfo.InvariantCulture), seconds.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        var output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromMinutes(5));
        await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        var result = JsonDocument.Parse(output.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1]).RootElement.Clone();
        return result.GetProperty("ok").GetBoolean() ? result : throw new InvalidOperationException("plc-reader.js: " + result);
    }
}
