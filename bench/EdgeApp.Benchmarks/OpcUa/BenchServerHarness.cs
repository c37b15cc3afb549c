using System.Globalization;
using EdgeApp.OpcUa.Server;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// The EdgeApp server as a process of its own, so the read-loop harness can measure its CPU time apart from the
/// client's: <c>harness opcua-server --port P --nodes N</c>. Prints "ready" and serves until stdin closes.
/// </summary>
public sealed class BenchServerHarness : IHarness
{
    public const string NamespaceUri = "urn:edgeapp:bench";

    public string Name => "opcua-server";

    public async Task<int> RunAsync(string[] args)
    {
        var port = int.Parse(Option(args, "--port", "4850"), CultureInfo.InvariantCulture);
        var nodes = int.Parse(Option(args, "--nodes", "1000"), CultureInfo.InvariantCulture);
        await using var server = new OpcUaServer(new ServerOptions { EndpointUrl = $"opc.tcp://127.0.0.1:{port}/" });
        var ns = server.AddressSpace.RegisterNamespace(NamespaceUri);
        var folder = server.AddressSpace.AddFolder(server.AddressSpace.ObjectsFolder, new EdgeApp.OpcUa.Encoding.NodeId("Bench", ns), "Bench");
        for (var i = 0; i < nodes; i++)
        {
            server.AddressSpace.AddVariable(folder, new EdgeApp.OpcUa.Encoding.NodeId($"V{i}", ns), $"V{i}", (double)i);
        }

        await server.StartAsync();
        Console.WriteLine("ready " + server.EndpointUrl);
        await Console.In.ReadToEndAsync();
        return 0;
    }

    internal static string Option(string[] args, string name, string fallback)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
    }
}
