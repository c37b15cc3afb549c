using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using static EdgeApp.Benchmarks.HarnessEnvironment;

namespace EdgeApp.Benchmarks.OpcPublisher;

/// <summary>
/// End to end as four processes (Release builds): redis-server, the PLC with N fast nodes changing every R ms, the
/// publisher subscribed to everything in the PLC's pn.json, and the gateway writing to its file sink. Over the window
/// it measures values/s handed to Redis (the publisher's forwarded count), values/s arriving in the sink (its files
/// are tailed; every value's SourceTimestamp gives the latency from the PLC to the sink), and CPU and RSS of each
/// process (sampled every second; a soak prints the publisher's RSS every minute). A node-opcua client reads the same
/// PLC side by side for 10 s as a cross-check of the load.
/// <c>harness opcpublisher [--nodes 10000] [--rate 100] [--seconds 60] [--warmup 20] [--mode PubSub|Samples]
/// [--batch 1000] [--max-bytes 65536] [--sampling 50] [--spool true] [--node-opcua true] [--publisher-env NAME=VALUE]</c>.
/// </summary>
public sealed class OpcPublisherHarness : IHarness
{
    private static readonly byte[] SourceTimestampKey = "\"SourceTimestamp\":\""u8.ToArray();

    public string Name => "opcpublisher";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var nodes = options.Int("nodes", 10_000);
        var rate = options.Int("rate", 100);
        var seconds = options.Int("seconds", 60);
        var warmup = options.Int("warmup", 20);
        var mode = options.Text("mode", "PubSub");
        var batch = options.Int("batch", 1000);
        var maxBytes = options.Int("max-bytes", 64 * 1024);
        var sampling = options.Int("sampling", 50);
        var spool = options.Bool("spool", true);
        var nodeOpcua = options.Bool("node-opcua", true);
        // An extra NAME=VALUE for the publisher's environment, to compare runtime settings side by side.
        var publisherEnvironment = options.Text("publisher-env", string.Empty);
        var root = RepoRoot();
        string Dll(string project) => Path.Combine(root, "src", project, "bin", "Release", "net10.0", project + ".dll");
        foreach (var project in new[] { "EdgeApp.OpcPlc", "EdgeApp.OpcPublisher", "EdgeApp.Gateway" })
        {
            if (!File.Exists(Dll(project)))
            {
                Console.Error.WriteLine($"{Dll(project)} is missing: run `dotnet build -c Release src/{project}` first.");
                return 2;
            }
        }

        var work = Directory.CreateTempSubdirectory("edgeapp-pubbench-").FullName;
        var sink = Path.Combine(work, "sink");
        Console.WriteLine($"{Environment.ProcessorCount} cores; load {LoadAverage()}; {nodes:N0} nodes every {rate} ms ({nodes * 1000.0 / rate:N0} values/s), " +
            $"mode {mode}, batch {batch}, sampling {sampling} ms, spool {spool}{(publisherEnvironment.Length > 0 ? ", publisher env " + publisherEnvironment : string.Empty)}; window {seconds} s after {warmup} s; files in {work}");

        var redisPort = FreePort();
        var plcPort = FreePort();
        var plcHttp = FreePort();
        var publisherHttp = FreePort();
        var gatewayHttp = FreePort();
        var processes = new List<(string Name, Process Process)>();
        var succeeded = false;
        try
        {
            processes.Add(("redis-server", Start(work, "redis", "redis-server", ["--port", Str(redisPort), "--bind", "127.0.0.1", "--save", string.Empty, "--appendonly", "no", "--dir", work], [])));
            var messaging = new Dictionary<string, string>
            {
                ["ConnectionStrings__redis"] = $"127.0.0.1:{redisPort}",
                ["Messaging__Transport"] = "RedisStreams",
                // Bounds Redis (entries are network messages of up to MaxMessageBytes); the gateway reads far ahead of the trim point.
                ["Messaging__RedisStreams__MaxLenApprox"] = "2000",
                ["Logging__LogLevel__Default"] = "Warning",
            };
            processes.Add(("opc-plc", Start(work, "plc", "dotnet", [Dll("EdgeApp.OpcPlc"), $"--pn={plcPort}", $"--fn={nodes}", $"--vfr={rate}", "--sn=0", "--ph=127.0.0.1", $"--urls=http://127.0.0.1:{plcHttp}"],
                new() { ["Logging__LogLevel__Default"] = "Warning" })));
            await WaitHealthyAsync(plcHttp, TimeSpan.FromMinutes(5));
            processes.Add(("gateway", Start(work, "gateway", "dotnet", [Dll("EdgeApp.Gateway"), $"--urls=http://127.0.0.1:{gatewayHttp}"], new(messaging)
            {
                ["Messaging__AppId"] = "gateway",
                ["Gateway__Sinks__file__Directory"] = sink,
                ["Gateway__Sinks__deadletter__Directory"] = Path.Combine(work, "deadletter"),
                ["Spool__Directory"] = Path.Combine(work, "gateway-spool"),
            })));
            processes.Add(("opc-publisher", Start(work, "publisher", "dotnet", [Dll("EdgeApp.OpcPublisher"), $"--urls=http://127.0.0.1:{publisherHttp}"], new Dictionary<string, string>(messaging)
            {
                ["Messaging__AppId"] = "opc-publisher",
                ["OpcPublisher__PublishedNodesUrl"] = $"http://127.0.0.1:{plcHttp}/pn.json",
                ["OpcPublisher__MessagingMode"] = mode,
                ["OpcPublisher__BatchSize"] = Str(batch),
                ["OpcPublisher__MaxMessageBytes"] = Str(maxBytes),
                ["OpcPublisher__DefaultSamplingIntervalMs"] = Str(sampling),
                ["OpcPublisher__UseSpool"] = spool ? "true" : "false",
                ["Spool__Directory"] = Path.Combine(work, "publisher-spool"),
            }.With(publisherEnvironment))));
            await WaitHealthyAsync(gatewayHttp, TimeSpan.FromMinutes(2));
            await WaitHealthyAsync(publisherHttp, TimeSpan.FromMinutes(2));

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{publisherHttp}"), Timeout = TimeSpan.FromSeconds(30) };
            var tail = new SinkTail(sink);
            using var stopTail = new CancellationTokenSource();
            var tailing = Task.Run(() => tail.RunAsync(stopTail.Token));
            var warm = Stopwatch.StartNew();
            while (warm.Elapsed.TotalSeconds < warmup)
            {
                await Task.Delay(1000);
            }

            Console.WriteLine($"after warm-up: {await ForwardedAsync(http):N0} values forwarded, {tail.Values:N0} in the sink; monitored {await MonitoredAsync(http):N0} nodes");
            tail.ResetWindow();
            var forwardedBefore = await ForwardedAsync(http);
            var cpuBefore = processes.Select(p => Cpu(p.Process)).ToArray();
            var rss = processes.Select(_ => new List<long>()).ToArray();
            var window = Stopwatch.StartNew();
            Task<JsonElement>? reader = nodeOpcua ? RunNodeReaderAsync(root, plcPort, nodes, 10) : null;
            var nextMinute = 60;
            while (window.Elapsed.TotalSeconds < seconds)
            {
                await Task.Delay(1000);
                for (var i = 0; i < processes.Count; i++)
                {
                    rss[i].Add(Rss(processes[i].Process));
                }

                if (window.Elapsed.TotalSeconds >= nextMinute)
                {
                    nextMinute += 60;
                    var minute = rss[3].TakeLast(60).ToList();
                    var diagnostics = await DiagnosticsAsync(http);
                    var backlog = diagnostics.GetProperty("ValuesSpooled").GetInt64() - diagnostics.GetProperty("ValuesForwarded").GetInt64();
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  minute {nextMinute / 60 - 1}: publisher RSS avg {minute.Average() / (1024 * 1024):F0} / max {minute.Max() / (1024.0 * 1024):F0} MB, GC heap {diagnostics.GetProperty("GcHeapBytes").GetInt64() / (1024.0 * 1024):F0} MB, " +
                        $"gaps {diagnostics.GetProperty("DataGaps").GetInt64()}, spool backlog {backlog:N0} values, sink {tail.Values / window.Elapsed.TotalSeconds:N0} values/s, load {LoadAverage()}"));
                }
            }

            var elapsed = window.Elapsed.TotalSeconds;
            var forwarded = await ForwardedAsync(http) - forwardedBefore;
            var cpu = processes.Select((p, i) => (Cpu(p.Process) - cpuBefore[i]).TotalSeconds * 100 / elapsed).ToArray();
            var sinkValues = tail.Values;
            var (p50, p99, max) = tail.Percentiles();
            await stopTail.CancelAsync();
            await tailing.ContinueWith(_ => { }, TaskScheduler.Default);

            Console.WriteLine();
            Console.WriteLine($"| measure ({elapsed:F0} s window) | value |");
            Console.WriteLine("|---|---:|");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| values/s expected (PLC) | {nodes * 1000.0 / rate:N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| values/s handed to Redis (publisher forwarded) | {forwarded / elapsed:N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| values/s in the gateway's sink | {sinkValues / elapsed:N0} |"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| latency SourceTimestamp -> sink p50 / p99 / max (ms) | {p50:F0} / {p99:F0} / {max:F0} |"));
            for (var i = 0; i < processes.Count; i++)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| {processes[i].Name}: CPU % of one core; RSS avg / max (MB) | {cpu[i]:F1}; {rss[i].Average() / (1024 * 1024):F0} / {rss[i].Max() / (1024.0 * 1024):F0} |"));
            }

            if (reader is not null)
            {
                var result = await reader;
                var meanDelta = result.GetProperty("meanDelta").GetDouble();
                var interval = (result.GetProperty("elapsedMs").GetDouble() - result.GetProperty("readMs").GetDouble()) / 1000;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"| node-opcua reading the same PLC alongside: updates/s seen ({result.GetProperty("good").GetInt32():N0} nodes good) | {meanDelta * nodes / interval:N0} |"));
            }

            Console.WriteLine($"load after: {LoadAverage()}");
            succeeded = true;
            return 0;
        }
        finally
        {
            if (!succeeded)
            {
                foreach (var log in Directory.GetFiles(work, "*.log"))
                {
                    Console.WriteLine($"--- {Path.GetFileName(log)} (last lines)");
                    Console.WriteLine(string.Join('\n', File.ReadLines(log).TakeLast(15)));
                }
            }

            foreach (var (_, process) in Enumerable.Reverse(processes))
            {
                try
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
                catch (InvalidOperationException)
                {
                    // already gone
                }

                process.Dispose();
            }

            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (IOException)
            {
                Console.WriteLine($"left {work} behind");
            }
        }
    }

    /// <summary>Reads the sink's files as the gateway appends to them; deletes files once read and superseded.</summary>
    private sealed class SinkTail(string directory)
    {
        private readonly object _sync = new();
        private readonly List<double> _latencies = new(1 << 20);
        private long _values;
        private long _sampled;

        public long Values => Interlocked.Read(ref _values);

        public void ResetWindow()
        {
            lock (_sync)
            {
                _latencies.Clear();
                Interlocked.Exchange(ref _values, 0);
            }
        }

        public (double P50, double P99, double Max) Percentiles()
        {
            double[] taken;
            lock (_sync)
            {
                taken = [.. _latencies];
            }

            Array.Sort(taken);
            return taken.Length == 0 ? (0, 0, 0) : (taken[taken.Length / 2], taken[Math.Min(taken.Length - 1, (int)(taken.Length * 0.99))], taken[^1]);
        }

        public async Task RunAsync(CancellationToken token)
        {
            string? current = null;
            long offset = 0;
            var pending = new List<byte>();
            var buffer = new byte[4 << 20];
            while (!token.IsCancellationRequested)
            {
                var files = Directory.Exists(directory) ? Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal).ToList() : [];
                current ??= files.FirstOrDefault();
                if (current is null)
                {
                    await Task.Delay(20, token).ContinueWith(_ => { }, TaskScheduler.Default);
                    continue;
                }

                var read = 0;
                using (var stream = new FileStream(current, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete))
                {
                    stream.Position = offset;
                    int n;
                    while ((n = await stream.ReadAsync(buffer, CancellationToken.None)) > 0)
                    {
                        read += n;
                        offset += n;
                        Consume(buffer.AsSpan(0, n), pending);
                    }
                }

                var index = files.IndexOf(current);
                if (read == 0 && index >= 0 && index + 1 < files.Count)
                {
                    // The gateway moved on to a newer file and this one is read to its end.
                    File.Delete(current);
                    current = files[index + 1];
                    offset = 0;
                    pending.Clear();
                    continue;
                }

                if (read == 0)
                {
                    await Task.Delay(20, token).ContinueWith(_ => { }, TaskScheduler.Default);
                }
            }
        }

        private void Consume(ReadOnlySpan<byte> data, List<byte> pending)
        {
            while (!data.IsEmpty)
            {
                var newline = data.IndexOf((byte)'\n');
                if (newline < 0)
                {
                    pending.AddRange(data);
                    return;
                }

                if (pending.Count > 0)
                {
                    pending.AddRange(data[..newline]);
                    Line(pending.ToArray());
                    pending.Clear();
                }
                else
                {
                    Line(data[..newline]);
                }

                data = data[(newline + 1)..];
            }
        }

        private void Line(ReadOnlySpan<byte> line)
        {
            var now = DateTime.UtcNow;
            var count = 0;
            lock (_sync)
            {
                while (true)
                {
                    var at = line.IndexOf(SourceTimestampKey);
                    if (at < 0)
                    {
                        break;
                    }

                    line = line[(at + SourceTimestampKey.Length)..];
                    var end = line.IndexOf((byte)'"');
                    count++;
                    if (end > 0 && (Interlocked.Increment(ref _sampled) & 3) == 0
                        && DateTime.TryParse(Encoding.ASCII.GetString(line[..end]), CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var source))
                    {
                        _latencies.Add((now - source).TotalMilliseconds);
                    }
                }
            }

            Interlocked.Add(ref _values, count);
        }
    }

    private static Process Start(string work, string name, string file, string[] args, Dictionary<string, string> environment)
    {
        // A module runs from its build output so its appsettings.json is the content root's.
        var directory = file == "dotnet" ? Path.GetDirectoryName(args[0])! : work;
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = directory };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException($"{file} did not start");
        var log = new StreamWriter(Path.Combine(work, name + ".log")) { AutoFlush = true };
        process.OutputDataReceived += (_, e) => { if (e.Data is { } line) { lock (log) { log.WriteLine(line); } } };
        process.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { lock (log) { log.WriteLine(line); } } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task<JsonElement> DiagnosticsAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/v2/configuration/diagnostics")).RootElement.Clone();

    private static async Task<long> ForwardedAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/v2/configuration/diagnostics")).RootElement.GetProperty("ValuesForwarded").GetInt64();

    private static async Task<int> MonitoredAsync(HttpClient http) =>
        JsonDocument.Parse(await http.GetStringAsync("/v2/configuration/diagnostics")).RootElement.GetProperty("Endpoints").EnumerateArray()
            .SelectMany(e => e.GetProperty("Writers").EnumerateArray()).Sum(w => w.GetProperty("MonitoredNodes").GetInt32());

    private static TimeSpan Cpu(Process process)
    {
        process.Refresh();
        return process.HasExited ? TimeSpan.Zero : process.TotalProcessorTime;
    }

    private static long Rss(Process process)
    {
        process.Refresh();
        return process.HasExited ? 0 : process.WorkingSet64;
    }

    private static string Str(int value) => value.ToString(CultureInfo.InvariantCulture);
}

internal static class EnvironmentExtensions
{
    /// <summary>Adds one <c>NAME=VALUE</c> (nothing when empty).</summary>
    public static Dictionary<string, string> With(this Dictionary<string, string> environment, string assignment)
    {
        var at = assignment.IndexOf('=', StringComparison.Ordinal);
        if (at > 0)
        {
            environment[assignment[..at]] = assignment[(at + 1)..];
        }

        return environment;
    }
}
