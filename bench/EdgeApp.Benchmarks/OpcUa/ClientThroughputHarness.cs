using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using static EdgeApp.Benchmarks.HarnessEnvironment;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// The EdgeApp client receiving from the EdgeApp server (its own process): N items all changing every C ms, sampled
/// and published at C ms, counted in a <see cref="Subscription.DataChanged"/> handler. Reports values/s, client and
/// server CPU, and the client's RSS.
/// <c>harness opcua-client [--items 10000,50000] [--change-ms 100] [--seconds 20] [--warmup 5]</c>.
/// </summary>
public sealed class ClientThroughputHarness : IHarness
{
    public string Name => "opcua-client";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var counts = options.Text("items", "10000,50000").Split(',').Select(c => int.Parse(c, CultureInfo.InvariantCulture)).ToArray();
        var changeMs = options.Int("change-ms", 100);
        var seconds = options.Int("seconds", 20);
        var warmup = options.Int("warmup", 5);
        Console.WriteLine($"load {File.ReadAllText("/proc/loadavg").Trim()}");
        var rows = new List<string>();
        foreach (var count in counts)
        {
            var port = FreePort();
            using var server = Processes.StartSelf("opcua-server", "--port", port.ToString(CultureInfo.InvariantCulture), "--nodes", count.ToString(CultureInfo.InvariantCulture), "--change-ms", changeMs.ToString(CultureInfo.InvariantCulture));
            await Processes.WaitForLineAsync(server, "ready", TimeSpan.FromSeconds(120));
            rows.Add(await MeasureAsync(server, $"opc.tcp://127.0.0.1:{port}/", count, changeMs, seconds, warmup));
            server.StandardInput.Close();
            if (!server.WaitForExit(10_000))
            {
                server.Kill(entireProcessTree: true);
            }
        }

        Console.WriteLine();
        Console.WriteLine("| items | requested values/s | delivered values/s | client CPU (cores) | client CPU µs/value | client RSS | server CPU (cores) | gaps | load |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---|");
        rows.ForEach(Console.WriteLine);
        return 0;
    }

    private static async Task<string> MeasureAsync(Process server, string url, int count, int changeMs, int seconds, int warmup)
    {
        await using var client = await OpcUaClient.ConnectAsync(url, new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(60), MaxPublishRequests = 3 });
        var ns = (ushort)Array.IndexOf(await client.GetNamespacesAsync(), BenchServerHarness.NamespaceUri);
        await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(changeMs) });
        long values = 0;
        var gaps = 0;
        subscription.DataChanged += batch => Interlocked.Add(ref values, batch.Changes.Length);
        subscription.GapDetected += _ => Interlocked.Increment(ref gaps);
        var items = await subscription.AddItemsAsync(Enumerable.Range(0, count).Select(i => new MonitoredItemOptions(new NodeId($"V{i}", ns)) { SamplingInterval = TimeSpan.FromMilliseconds(changeMs) }));
        var created = items.Count(i => i.IsCreated);
        await Task.Delay(TimeSpan.FromSeconds(warmup));

        var me = Process.GetCurrentProcess();
        me.Refresh();
        server.Refresh();
        var clientCpu = me.TotalProcessorTime;
        var serverCpu = server.TotalProcessorTime;
        var start = Interlocked.Read(ref values);
        var watch = Stopwatch.StartNew();
        long peakRss = 0;
        while (watch.Elapsed < TimeSpan.FromSeconds(seconds))
        {
            await Task.Delay(500);
            me.Refresh();
            peakRss = Math.Max(peakRss, me.WorkingSet64);
        }

        var elapsed = watch.Elapsed.TotalSeconds;
        var delivered = (Interlocked.Read(ref values) - start) / elapsed;
        me.Refresh();
        server.Refresh();
        var clientCores = (me.TotalProcessorTime - clientCpu).TotalSeconds / elapsed;
        var serverCores = (server.TotalProcessorTime - serverCpu).TotalSeconds / elapsed;
        var requested = created * 1000.0 / changeMs;
        var load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
        Console.WriteLine($"{count} items ({created} created): {delivered:N0} values/s of {requested:N0}, client {clientCores:F2} cores, RSS {peakRss >> 20} MiB, server {serverCores:F2} cores, gaps {gaps}");
        return $"| {count:N0} | {requested:N0} | {delivered:N0} | {clientCores:F2} | {clientCores * 1e6 / Math.Max(1, delivered):F2} | {peakRss >> 20} MiB | {serverCores:F2} | {gaps} | {load} |";
    }
}
