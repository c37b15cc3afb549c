using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;
using static EdgeApp.Benchmarks.HarnessEnvironment;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// Read loop of 1,000 nodes per request, one request in flight, for a fixed time, against the EdgeApp server and a
/// node-opcua server (tests/interop/server.js), each in its own process; reports requests/s and CPU time.
/// <c>harness opcua-readloop [--seconds 10] [--nodes 1000]</c>. Needs <c>npm ci --prefix tests/interop</c>.
/// </summary>
public sealed class ReadLoopHarness : IHarness
{
    public string Name => "opcua-readloop";

    public async Task<int> RunAsync(string[] args)
    {
        var seconds = double.Parse(BenchServerHarness.Option(args, "--seconds", "10"), CultureInfo.InvariantCulture);
        var nodes = int.Parse(BenchServerHarness.Option(args, "--nodes", "1000"), CultureInfo.InvariantCulture);
        var results = new List<Result>();

        var port = FreePort();
        using (var edge = StartEdgeAppServer(port, nodes))
        {
            await WaitForLineAsync(edge, "ready");
            results.Add(await MeasureAsync("EdgeApp", $"opc.tcp://127.0.0.1:{port}/", BenchServerHarness.NamespaceUri, nodes, seconds, edge));
            edge.StandardInput.Close();
            await edge.WaitForExitAsync();
        }

        port = FreePort();
        using (var node = StartNodeServer(port, nodes))
        {
            await WaitForLineAsync(node, "{\"ready\":true");
            results.Add(await MeasureAsync("node-opcua", $"opc.tcp://127.0.0.1:{port}/UA/Interop", "urn:edgeapp:interop:node-opcua", nodes, seconds, node));
            node.StandardInput.Close();
            if (!node.WaitForExit(5000))
            {
                node.Kill(entireProcessTree: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine($"| server | requests/s | values/s | server CPU ms/request | client CPU ms/request |");
        Console.WriteLine($"|---|---:|---:|---:|---:|");
        foreach (var r in results)
        {
            Console.WriteLine($"| {r.Server} | {r.RequestsPerSecond:F0} | {r.RequestsPerSecond * nodes:F0} | {r.ServerCpuMsPerRequest:F3} | {r.ClientCpuMsPerRequest:F3} |");
        }

        var (e, n) = (results[0], results[1]);
        Console.WriteLine($"ratio EdgeApp/node-opcua: requests/s x{e.RequestsPerSecond / n.RequestsPerSecond:F2}, server CPU per request x{e.ServerCpuMsPerRequest / n.ServerCpuMsPerRequest:F2}");
        return 0;
    }

    private sealed record Result(string Server, double RequestsPerSecond, double ServerCpuMsPerRequest, double ClientCpuMsPerRequest);

    private static async Task<Result> MeasureAsync(string name, string url, string namespaceUri, int nodes, double seconds, Process serverProcess)
    {
        await using var client = await OpcUaClient.ConnectAsync(url, new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(30) });
        var namespaces = (await client.ReadAsync(VariableIds.NamespaceArray)).Value.Get<string[]>();
        var ns = (ushort)Array.IndexOf(namespaces, namespaceUri);
        var items = Enumerable.Range(0, nodes).Select(i => new ReadValueId { NodeId = new NodeId($"V{i}", ns) }).ToArray();

        // Warm up both sides (JIT, V8) before measuring.
        var warmUntil = DateTime.UtcNow.AddSeconds(Math.Min(2, seconds / 4));
        while (DateTime.UtcNow < warmUntil)
        {
            await client.ReadAsync(items);
        }

        var check = await client.ReadAsync(items);
        if (check.Any(v => v.StatusCode.IsBad))
        {
            throw new InvalidOperationException($"{name}: bad reads, e.g. {check.First(v => v.StatusCode.IsBad).StatusCode}");
        }

        var me = Process.GetCurrentProcess();
        serverProcess.Refresh();
        var serverCpu = serverProcess.TotalProcessorTime;
        me.Refresh();
        var clientCpu = me.TotalProcessorTime;
        var watch = Stopwatch.StartNew();
        var requests = 0;
        while (watch.Elapsed.TotalSeconds < seconds)
        {
            await client.ReadAsync(items);
            requests++;
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        serverProcess.Refresh();
        me.Refresh();
        var serverMs = (serverProcess.TotalProcessorTime - serverCpu).TotalMilliseconds;
        var clientMs = (me.TotalProcessorTime - clientCpu).TotalMilliseconds;
        Console.WriteLine($"{name}: {requests} requests in {elapsed:F1} s, server CPU {serverMs:F0} ms, client CPU {clientMs:F0} ms");
        return new Result(name, requests / elapsed, serverMs / requests, clientMs / requests);
    }

    private static Process StartEdgeAppServer(int port, int nodes)
    {
        var self = Environment.ProcessPath!;
        var info = new ProcessStartInfo(self) { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(self) == "dotnet")
        {
            info.ArgumentList.Add(typeof(ReadLoopHarness).Assembly.Location);
        }

        foreach (var arg in new[] { "harness", "opcua-server", "--port", port.ToString(CultureInfo.InvariantCulture), "--nodes", nodes.ToString(CultureInfo.InvariantCulture) })
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static Process StartNodeServer(int port, int nodes)
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
        info.ArgumentList.Add("server.js");
        info.ArgumentList.Add(port.ToString(CultureInfo.InvariantCulture));
        info.ArgumentList.Add(nodes.ToString(CultureInfo.InvariantCulture));
        var process = Process.Start(info)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitForLineAsync(Process process, string prefix)
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
        {
            if (line.StartsWith(prefix, StringComparison.Ordinal))
            {
                _ = process.StandardOutput.BaseStream.CopyToAsync(Stream.Null);
                return;
            }
        }

        throw new InvalidOperationException("The server process exited before it was ready.");
    }
}
