using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using static EdgeApp.Benchmarks.HarnessEnvironment;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// Server subscription throughput: N variables all changing every C ms, one node-opcua client (tests/interop/subscribe.js)
/// subscribed to all of them with sampling and publishing at C ms. Runs the EdgeApp server (<c>harness opcua-server</c>)
/// and node-opcua's own server (<c>tests/interop/server.js</c>) one after the other, each in its own process, and
/// reports notifications/s delivered and the server's CPU. Server kinds: <c>edgeapp</c>, <c>node</c> (values set per
/// variable with setValueFromSource, as applications do) and <c>node-shared</c> (one Variant instance for all).
/// <c>harness opcua-subscribe [--nodes 10000] [--change-ms 100] [--seconds 20] [--warmup 5] [--servers edgeapp,node,node-shared]</c>.
/// </summary>
public sealed class SubscriptionThroughputHarness : IHarness
{
    public string Name => "opcua-subscribe";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var nodes = options.Int("nodes", 10_000);
        var changeMs = options.Int("change-ms", 100);
        var seconds = options.Int("seconds", 20);
        var warmup = options.Int("warmup", 5);
        var servers = options.Text("servers", "edgeapp,node,node-shared").Split(',');
        var requested = nodes * 1000.0 / changeMs;
        Console.WriteLine($"{nodes} variables changing every {changeMs} ms: {requested:N0} notifications/s requested; load {File.ReadAllText("/proc/loadavg").Trim()}");
        var results = new List<Result>();
        foreach (var kind in servers)
        {
            var port = FreePort();
            using var server = kind == "edgeapp"
                ? Processes.StartSelf("opcua-server", "--port", port.ToString(CultureInfo.InvariantCulture), "--nodes", nodes.ToString(CultureInfo.InvariantCulture), "--change-ms", changeMs.ToString(CultureInfo.InvariantCulture))
                : Processes.StartNode("server.js", port.ToString(CultureInfo.InvariantCulture), nodes.ToString(CultureInfo.InvariantCulture), changeMs.ToString(CultureInfo.InvariantCulture), kind == "node-shared" ? "shared" : "each");
            await Processes.WaitForLineAsync(server, kind == "edgeapp" ? "ready" : "{\"ready\":true", TimeSpan.FromSeconds(120));
            var url = kind == "edgeapp" ? $"opc.tcp://127.0.0.1:{port}/" : $"opc.tcp://127.0.0.1:{port}/UA/Interop";
            var ns = kind == "edgeapp" ? BenchServerHarness.NamespaceUri : "urn:edgeapp:interop:node-opcua";
            var label = kind switch { "edgeapp" => "EdgeApp", "node-shared" => "node-opcua 2.186.4 (shared Variant)", _ => "node-opcua 2.186.4" };
            results.Add(await MeasureAsync(label, server, url, ns, nodes, changeMs, seconds, warmup, requested));
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
            {
                server.Kill(entireProcessTree: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| server | notifications/s delivered | of requested | server CPU (cores) | server CPU µs/notification | node-opcua client CPU (cores) | load |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|---|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Server} | {r.Rate:N0} | {r.Rate / requested:P0} | {r.ServerCores:F2} | {r.ServerCores * 1e6 / Math.Max(1, r.Rate):F2} | {r.ClientCores:F2} | {r.Load} |");
        }

        foreach (var other in results.Skip(1))
        {
            var edge = results[0];
            Console.WriteLine($"ratio {edge.Server}/{other.Server}: notifications/s x{edge.Rate / other.Rate:F2}, server CPU per notification x{edge.ServerCores / edge.Rate / (other.ServerCores / other.Rate):F3}");
        }

        return 0;
    }

    private sealed record Result(string Server, double Rate, double ServerCores, double ClientCores, string Load);

    private static async Task<Result> MeasureAsync(string name, Process server, string url, string ns, int nodes, int changeMs, int seconds, int warmup, double requested)
    {
        var total = warmup + seconds + 2;
        using var client = Processes.StartNode("subscribe.js", url, ns, nodes.ToString(CultureInfo.InvariantCulture), total.ToString(CultureInfo.InvariantCulture), changeMs.ToString(CultureInfo.InvariantCulture), changeMs.ToString(CultureInfo.InvariantCulture));
        var subscribedLine = await Processes.WaitForLineAsync(client, "{\"event\":\"subscribed\"", TimeSpan.FromSeconds(120), keepDraining: false);
        var subscribedAtMs = JsonDocument.Parse(subscribedLine).RootElement.GetProperty("atMs").GetInt32();
        await Task.Delay(TimeSpan.FromSeconds(warmup));
        server.Refresh();
        client.Refresh();
        var serverCpu = server.TotalProcessorTime;
        var clientCpu = client.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        server.Refresh();
        client.Refresh();
        var elapsed = watch.Elapsed.TotalSeconds;
        var serverCores = (server.TotalProcessorTime - serverCpu).TotalSeconds / elapsed;
        var clientCores = (client.TotalProcessorTime - clientCpu).TotalSeconds / elapsed;
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];

        string? last = null;
        while (await client.StandardOutput.ReadLineAsync() is { } line)
        {
            last = line;
        }

        var result = JsonDocument.Parse(last ?? "{}").RootElement;
        var perSecond = result.GetProperty("perSecond").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        var first = (subscribedAtMs / 1000) + warmup + 1;
        var window = perSecond.Skip(first).Take(seconds - 1).ToArray();
        var rate = window.Length == 0 ? 0 : window.Average();
        Console.WriteLine($"{name}: {rate:N0} notifications/s ({rate / requested:P0}), server {serverCores:F2} cores, node client {clientCores:F2} cores; per second: {string.Join(' ', perSecond)}");
        return new Result(name, rate, serverCores, clientCores, load);
    }

}

/// <summary>Child processes for the OPC UA harnesses: this program as a server, or a node script in tests/interop.</summary>
internal static class Processes
{
    public static Process StartSelf(string harness, params string[] args)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(Processes).Assembly.Location);
        }

        info.ArgumentList.Add("harness");
        info.ArgumentList.Add(harness);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    public static Process StartNode(string script, params string[] args)
    {
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeApp.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("EdgeApp.sln not found");
        }

        var interop = Path.Combine(root, "tests", "interop");
        if (!Directory.Exists(Path.Combine(interop, "node_modules", "node-opcua")))
        {
            throw new InvalidOperationException($"node-opcua missing: run `npm ci` in {interop}");
        }

        var info = new ProcessStartInfo("node") { WorkingDirectory = interop, RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(script);
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>Reads stdout until a line starts with <paramref name="prefix"/>; then drains the rest in the background unless told not to.</summary>
    public static async Task<string> WaitForLineAsync(Process process, string prefix, TimeSpan timeout, bool keepDraining = true)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                if (keepDraining)
                {
                    _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                }

                return line;
            }
        }

        throw new InvalidOperationException($"The process exited before printing '{prefix}'.");
    }
}
