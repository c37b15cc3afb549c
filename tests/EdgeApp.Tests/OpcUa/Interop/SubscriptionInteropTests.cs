using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Interop;

/// <summary>
/// Subscriptions across stacks at 1,000 variables, sampled and published every 100 ms (10,000 notifications/s
/// requested; the variables change every 50 ms so every sample sees a new value, whatever the timers' phase): a
/// node-opcua client on the EdgeApp server and the EdgeApp client on a node-opcua server, each through a restart of
/// the other side.
/// They measure rates, so they run alone (<see cref="RateCollection"/>), not beside the other tests of the assembly.
/// </summary>
[Collection(RateCollection.Name)]
public sealed class SubscriptionInteropTests
{
    private const int Variables = 1000;
    private const int ChangeMs = 50;
    private const int SampleMs = 100;
    private const double Requested = Variables * 1000.0 / SampleMs;
    private const string NamespaceUri = "urn:edgeapp:interop:subscriptions";

    [Fact]
    public async Task NodeOpcuaClient_Receives1000VariablesAtTheRequestedRate_AndSurvivesEdgeAppServerRestart()
    {
        var port = NodeOpcuaServerProcess.FreePort();
        var endpoint = $"opc.tcp://127.0.0.1:{port}/";
        var server = await ChangingServer.StartAsync(endpoint);
        NodeRunner.EnsureInstalled();
        using var process = Process.Start(NodeRunner.StartInfo("subscribe.js", endpoint, NamespaceUri, Variables.ToString(CultureInfo.InvariantCulture), "16", SampleMs.ToString(CultureInfo.InvariantCulture), SampleMs.ToString(CultureInfo.InvariantCulture)))!;
        var stderr = new ConcurrentQueue<string>();
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) stderr.Enqueue(e.Data); };
        process.BeginErrorReadLine();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        try
        {
            var subscribed = JsonDocument.Parse(await ReadEventAsync(process, "subscribed", cts.Token)).RootElement;
            var subscribedAt = subscribed.GetProperty("atMs").GetInt32();

            // Let it run 4 s, then restart the server (a new process would have lost every session and subscription).
            await Task.Delay(4000, cts.Token);
            var restartedAt = (subscribedAt / 1000) + 5;
            await server.DisposeAsync();
            await Task.Delay(500, cts.Token);
            server = await ChangingServer.StartAsync(endpoint);

            var result = JsonDocument.Parse(await ReadLastLineAsync(process, cts.Token)).RootElement;
            Assert.True(result.GetProperty("ok").GetBoolean(), "subscribe.js failed: " + result.GetProperty("errors") + " " + string.Join('\n', stderr));
            var perSecond = result.GetProperty("perSecond").EnumerateArray().Select(e => e.GetInt32()).ToArray();
            var first = (subscribedAt / 1000) + 1;
            var before = perSecond.Skip(first).Take(3).Average();
            var best = BestWindow(perSecond.Skip(first).Take(3).Select(v => (double)v).ToArray(), 2);
            // After the restart: the best two consecutive seconds once node-opcua has reconnected and re-subscribed.
            var tail = perSecond[(restartedAt + 1)..^1];
            var after = tail.Zip(tail.Skip(1), (a, b) => (a + b) / 2.0).DefaultIfEmpty(0).Max();
            // Nearly the full rate over two seconds (one second holds only ~10 publishing cycles: a single one late is -10%),
            // and most of it on average even when the machine is busy with other work.
            Assert.True(best >= Requested * 0.8 && before >= Requested * 0.6, $"before the restart: {before:F0}/s (best 2 s {best:F0}) of {Requested}/s requested ({string.Join(',', perSecond)})");
            Assert.True(after >= Requested * 0.7, $"after the restart: {after:F0}/s ({string.Join(',', perSecond)})");
            Assert.True(result.GetProperty("reconnections").GetInt32() >= 1, "node-opcua did not notice the restart");
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await server.DisposeAsync();
        }
    }

    [Fact]
    public async Task EdgeAppClient_Receives1000VariablesAtTheRequestedRate_AndSurvivesNodeOpcuaServerRestart()
    {
        var port = NodeOpcuaServerProcess.FreePort();
        var peer = await NodeOpcuaServerProcess.StartAsync(Variables, changeIntervalMs: ChangeMs, port: port);
        try
        {
            var options = new ClientOptions
            {
                RequestTimeout = TimeSpan.FromSeconds(20),
                Reconnect = new ReconnectPolicy { InitialDelay = TimeSpan.FromMilliseconds(100), MaxDelay = TimeSpan.FromSeconds(1) },
            };
            await using var client = await OpcUaClient.ConnectAsync(peer.EndpointUrl, options);
            var restored = new TaskCompletionSource<RestoreKind>(TaskCreationOptions.RunContinuationsAsynchronously);
            client.Reconnected += kind => restored.TrySetResult(kind);
            var ns = (ushort)Array.IndexOf(await client.GetNamespacesAsync(), peer.NamespaceUri);
            await using var subscription = await client.CreateSubscriptionAsync(new SubscriptionOptions { PublishingInterval = TimeSpan.FromMilliseconds(SampleMs) });
            long received = 0;
            var gaps = new ConcurrentQueue<DataGap>();
            subscription.DataChanged += batch => Interlocked.Add(ref received, batch.Changes.Length);
            subscription.GapDetected += gaps.Enqueue;
            var items = await subscription.AddItemsAsync(Enumerable.Range(0, Variables).Select(i => new MonitoredItemOptions(new NodeId($"V{i}", ns)) { SamplingInterval = TimeSpan.FromMilliseconds(SampleMs) }));
            Assert.All(items, i => Assert.True(i.IsCreated, i.ToString()));

            await Task.Delay(1000);
            var rates = await MeasureAsync(() => Interlocked.Read(ref received), 4);
            Assert.True(BestWindow(rates, 2) >= Requested * 0.8 && rates.Average() >= Requested * 0.6, $"{string.Join(", ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} per second, {Requested}/s requested");

            // Crash the peer and start a new one on the same port: nothing of the session survives there.
            await peer.KillAsync();
            await peer.DisposeAsync();
            peer = await NodeOpcuaServerProcess.StartAsync(Variables, changeIntervalMs: ChangeMs, port: port);
            Assert.Equal(RestoreKind.SubscriptionsRecreated, await restored.Task.WaitAsync(TimeSpan.FromSeconds(30)));
            var gap = Assert.Single(gaps);
            Assert.Equal(GapReason.SubscriptionRecreated, gap.Reason);
            Assert.True(gap.To > gap.From);

            // Values flow again; then the rate is measured once the restarted peer has settled.
            var resumed = Interlocked.Read(ref received);
            await SubscriptionsWait(() => Interlocked.Read(ref received) > resumed + Variables);
            await Task.Delay(2000);

            // A freshly started node-opcua process still warms up and delivers in bursts (4,000 / 10,000 / 4,000 per
            // second seen on a loaded machine): the full rate must come back within a second, and the average hold.
            var after = await MeasureAsync(() => Interlocked.Read(ref received), 4);
            Assert.True(BestWindow(after, 1) >= Requested * 0.8 && after.Average() >= Requested * 0.6, $"after the restart: {string.Join(", ", after.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)))} per second");
            Assert.All(subscription.Items, i => Assert.True(i.IsCreated));
        }
        finally
        {
            await peer.DisposeAsync();
        }
    }

    private static Task SubscriptionsWait(Func<bool> condition) =>
        Subscriptions.SubscriptionServiceTests.WaitUntilAsync(condition, TimeSpan.FromSeconds(20));

    /// <summary>The best average rate over <paramref name="width"/> consecutive seconds.</summary>
    private static double BestWindow(double[] perSecond, int width) =>
        Enumerable.Range(0, Math.Max(1, perSecond.Length - width + 1)).Max(i => perSecond.Skip(i).Take(width).Average());

    /// <summary>Values per second, for each of <paramref name="seconds"/> seconds.</summary>
    private static async Task<double[]> MeasureAsync(Func<long> counter, int seconds)
    {
        var rates = new double[seconds];
        for (var i = 0; i < seconds; i++)
        {
            var start = counter();
            var watch = Stopwatch.StartNew();
            await Task.Delay(1000);
            rates[i] = (counter() - start) / watch.Elapsed.TotalSeconds;
        }

        return rates;
    }

    private static async Task<string> ReadEventAsync(Process process, string name, CancellationToken cancellationToken)
    {
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            if (line.Contains($"\"event\":\"{name}\"", StringComparison.Ordinal))
            {
                return line;
            }

            if (line.StartsWith("{\"ok\"", StringComparison.Ordinal))
            {
                Assert.Fail("subscribe.js ended early: " + line);
            }
        }

        throw new Xunit.Sdk.XunitException("subscribe.js exited before subscribing");
    }

    private static async Task<string> ReadLastLineAsync(Process process, CancellationToken cancellationToken)
    {
        string? last = null;
        while (await process.StandardOutput.ReadLineAsync(cancellationToken) is { } line)
        {
            last = line;
        }

        return last ?? throw new Xunit.Sdk.XunitException("subscribe.js printed no result");
    }

    /// <summary>An EdgeApp server with <see cref="Variables"/> Double variables V0.. all changing every <see cref="ChangeMs"/>.</summary>
    private sealed class ChangingServer : IAsyncDisposable
    {
        private readonly OpcUaServer _server;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _writer;

        private ChangingServer(OpcUaServer server, VariableNode<double>[] variables)
        {
            _server = server;
            _writer = Task.Run(async () =>
            {
                using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(ChangeMs));
                var round = 0.0;
                try
                {
                    while (await timer.WaitForNextTickAsync(_stop.Token))
                    {
                        round++;
                        foreach (var variable in variables)
                        {
                            variable.Value = round;
                        }
                    }
                }
                catch (OperationCanceledException)
                {
                    // Stopped.
                }
            });
        }

        public static async Task<ChangingServer> StartAsync(string endpoint)
        {
            var server = new OpcUaServer(new ServerOptions { EndpointUrl = endpoint });
            var ns = server.AddressSpace.RegisterNamespace(NamespaceUri);
            var folder = server.AddressSpace.AddFolder(server.AddressSpace.ObjectsFolder, new NodeId("Bench", ns), "Bench");
            var variables = Enumerable.Range(0, Variables).Select(i => server.AddressSpace.AddVariable(folder, new NodeId($"V{i}", ns), $"V{i}", (double)i)).ToArray();
            for (var attempt = 0; ; attempt++)
            {
                try
                {
                    await server.StartAsync();
                    return new ChangingServer(server, variables);
                }
                catch (System.Net.Sockets.SocketException) when (attempt < 20)
                {
                    await Task.Delay(100);
                }
            }
        }

        public async ValueTask DisposeAsync()
        {
            if (_stop.IsCancellationRequested)
            {
                return;
            }

            await _stop.CancelAsync();
            await _writer;
            await _server.DisposeAsync();
        }
    }
}

/// <summary>Tests that measure delivery rates: run without other tests of the assembly beside them.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class RateCollection
{
    public const string Name = "OPC UA rates";
}
