using System.Globalization;
using EdgeApp.OpcUa.Server;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// The EdgeApp server as a process of its own, so the read-loop harness can measure its CPU time apart from the
/// client's: <c>harness opcua-server --port P --nodes N [--change-ms 100]</c>. With a change interval every variable
/// gets a new value (the same increasing number) each interval. Prints "ready" and serves until stdin closes.
/// </summary>
public sealed class BenchServerHarness : IHarness
{
    public const string NamespaceUri = "urn:edgeapp:bench";

    public string Name => "opcua-server";

    public async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(Option(args, "--port", "4850"), CultureInfo.InvariantCulture);
        var nodes = int.Parse(Option(args, "--nodes", "1000"), CultureInfo.InvariantCulture);
        var changeMs = int.Parse(Option(args, "--change-ms", "0"), CultureInfo.InvariantCulture);
        await using var server = new OpcUaServer(new ServerOptions { EndpointUrl = $"opc.tcp://127.0.0.1:{port}/" });
        var ns = server.AddressSpace.RegisterNamespace(NamespaceUri);
        var folder = server.AddressSpace.AddFolder(server.AddressSpace.ObjectsFolder, new EdgeApp.OpcUa.Encoding.NodeId("Bench", ns), "Bench");
        var variables = new EdgeApp.OpcUa.Server.AddressSpace.VariableNode<double>[nodes];
        for (var i = 0; i < nodes; i++)
        {
            variables[i] = server.AddressSpace.AddVariable(folder, new EdgeApp.OpcUa.Encoding.NodeId($"V{i}", ns), $"V{i}", (double)i);
        }

        await server.StartAsync();
        using var stop = new CancellationTokenSource();
        var writer = changeMs <= 0 ? Task.CompletedTask : Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(changeMs));
            var round = 0.0;
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token))
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
                // Stopping.
            }
        });
        Console.WriteLine("ready " + server.EndpointUrl);
        await Console.In.ReadToEndAsync();
        await stop.CancelAsync();
        await writer;
        return 0;
    }

    internal static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
