using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;
using static EdgeApp.Benchmarks.HarnessEnvironment;

namespace EdgeApp.Benchmarks.OpcPlc;

/// <summary>
/// The PLC simulator under load, as its own process (the Release build of src/EdgeApp.OpcPlc): N fast UInt nodes
/// updated every R ms. For each N it measures the start time, RSS (sampled every second) and CPU of the PLC process over
/// a window in which nobody reads, then checks the rate from outside: the EdgeApp client reads all N values before and
/// after the window, and a node-opcua client (tests/interop/plc-reader.js) does the same, side by side.
/// <c>harness opcplc [--nodes 1,10000,100000] [--rate 100] [--seconds 30] [--warmup 5] [--node-opcua true] [--plc PATH]</c>.
/// </summary>
public sealed partial class OpcPlcHarness : IHarness
{
    public string Name => "opcplc";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var counts = options.Text("nodes", "1,10000,100000").Split(',').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray();
        var rate = options.Int("rate", 100);
        var seconds = options.Int("seconds", 30);
        var warmup = options.Int("warmup", 5);
        var nodeOpcua = options.Bool("node-opcua", true);
        var root = RepoRoot();
        var plc = options.Text("plc", Path.Combine(root, "src", "EdgeApp.OpcPlc", "bin", "Release", "net10.0", "EdgeApp.OpcPlc.dll"));
        if (!File.Exists(plc))
        {
            Console.Error.WriteLine($"{plc} is missing: run `dotnet build -c Release src/EdgeApp.OpcPlc` first.");
            return 2;
        }

        Console.WriteLine($"PLC {plc}; {Environment.ProcessorCount} cores; load {LoadAverage()}; rate {rate} ms, window {seconds} s after {warmup} s warm-up");
        var results = new List<Result>();
        foreach (var count in counts)
        {
            results.Add(await MeasureAsync(plc, root, count, rate, seconds, warmup, nodeOpcua));
        }

        Console.WriteLine();
        Console.WriteLine("| fast nodes | updates/s expected | start (s) | RSS avg / max (MB) | PLC CPU (% of one core) | CPU µs per update | updates/s seen by EdgeApp client | by node-opcua |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {r.Nodes:N0} | {r.Expected:N0} | {r.StartSeconds:F1} | {r.RssAvgMb:F0} / {r.RssMaxMb:F0} | {r.CpuPercent:F1} | {r.CpuMicrosPerUpdate:F3} | {r.SeenByEdgeApp:N0} | {(r.SeenByNodeOpcua is { } n ? n.ToString("N0", CultureInfo.InvariantCulture) : "-")} |"));
        }

        Console.WriteLine($"load after: {LoadAverage()}");
        return 0;
    }

    private sealed record Result(int Nodes, double Expected, double StartSeconds, double RssAvgMb, double RssMaxMb, double CpuPercent, double CpuMicrosPerUpdate, double SeenByEdgeApp, double? SeenByNodeOpcua);

    private static async Task<Result> MeasureAsync(string plc, string root, int count, int rate, int seconds, int warmup, bool nodeOpcua)
    {
        var port = FreePort();
        var http = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var arg in new[] { plc, $"--pn={port}", $"--fn={count}", $"--vfr={rate}", "--sn=0", "--ph=127.0.0.1", $"--urls=http://127.0.0.1:{http}" })
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["Logging__LogLevel__Default"] = "Information";
        info.Environment["Logging__LogLevel__Microsoft.AspNetCore"] = "Warning";
        var started = Stopwatch.StartNew();
        using var process = Process.Start(info)!;
        var buildMs = new TaskCompletionSource<string>();
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && BuiltIn().Match(line) is { Success: true } match)
            {
                buildMs.TrySetResult(match.Groups[1].Value);
            }
        };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await WaitHealthyAsync(http, TimeSpan.FromMinutes(5));
            var startSeconds = started.Elapsed.TotalSeconds;
            Console.WriteLine($"{count:N0} nodes: healthy after {startSeconds:F1} s (address space built in {await buildMs.Task.WaitAsync(TimeSpan.FromSeconds(5))} ms)");

            await using var client = await OpcUaClient.ConnectAsync($"opc.tcp://127.0.0.1:{port}", new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(60) });
            var ns = (ushort)Array.IndexOf(await client.GetNamespacesAsync(), "http://microsoft.com/Opc/OpcPlc/");
            var ids = Enumerable.Range(1, count).Select(i => new ReadValueId { NodeId = new NodeId($"FastUInt{i}", ns), AttributeId = AttributeId.Value }).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(warmup));

            var before = await ReadAllAsync(client, ids);
            var beforeTime = Stopwatch.GetTimestamp();
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var window = Stopwatch.StartNew();
            var rss = new List<long>();
            while (window.Elapsed.TotalSeconds < seconds)
            {
                await Task.Delay(1000);
                process.Refresh();
                rss.Add(process.WorkingSet64);
            }

            process.Refresh();
            var cpu = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
            var elapsed = window.Elapsed.TotalSeconds;
            var after = await ReadAllAsync(client, ids);
            var readElapsed = Stopwatch.GetElapsedTime(beforeTime).TotalSeconds;
            if (before.Concat(after).Any(v => !v.StatusCode.IsGood))
            {
                throw new InvalidOperationException($"bad read: {before.Concat(after).First(v => !v.StatusCode.IsGood).StatusCode}");
            }

            var updates = before.Zip(after).Sum(p => (double)(p.Second.Value.Get<uint>() - p.First.Value.Get<uint>()));
            var expected = count * 1000.0 / rate;
            var result = new Result(
                count,
                expected,
                startSeconds,
                rss.Average() / (1024 * 1024),
                rss.Max() / (1024.0 * 1024),
                100 * cpu / elapsed,
                cpu * 1e6 / (expected * elapsed),
                updates / readElapsed,
                null);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  RSS {result.RssAvgMb:F0}-{result.RssMaxMb:F0} MB, CPU {result.CpuPercent:F1}% of a core, {result.SeenByEdgeApp:N0} updates/s seen (expected {expected:N0})"));

            if (nodeOpcua)
            {
                var reader = await RunNodeReaderAsync(root, port, count, Math.Min(seconds, 10));
                var meanDelta = reader.GetProperty("meanDelta").GetDouble();
                // Each node is read at the same place in both reads: the time between its two reads is the total less one read.
                var interval = (reader.GetProperty("elapsedMs").GetDouble() - reader.GetProperty("readMs").GetDouble()) / 1000;
                var seen = meanDelta * count / interval;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  node-opcua: browsed {reader.GetProperty("browsed").GetInt32():N0}, {reader.GetProperty("good").GetInt32():N0} good, read all in {reader.GetProperty("readMs").GetInt32()} ms, mean delta {meanDelta:F1} -> {seen:N0} updates/s"));
                result = result with { SeenByNodeOpcua = seen };
            }

            return result;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
    }

    private static async Task<DataValue[]> ReadAllAsync(OpcUaClient client, ReadValueId[] ids)
    {
        var values = new List<DataValue>(ids.Length);
        foreach (var chunk in ids.Chunk(10_000))
        {
            values.AddRange(await client.ReadAsync(chunk));
        }

        return [.. values];
    }

    [GeneratedRegex(@"address space built in (\d+) ms")]
    private static partial Regex BuiltIn();
}
