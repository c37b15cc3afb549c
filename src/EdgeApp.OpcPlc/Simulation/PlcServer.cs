using System.Net.Sockets;
using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcPlc.PublishedNodes;
using EdgeApp.OpcUa.Server;

namespace EdgeApp.OpcPlc.Simulation;

/// <summary>
/// The simulated PLC: an <see cref="OpcUaServer"/> with OPC PLC's address space and the node families that
/// update it. <see cref="StartAsync"/> builds the address space and starts listening; the timers of
/// <see cref="Families"/> are driven by <see cref="PlcWorker"/> (or by a test, tick by tick).
/// </summary>
public sealed class PlcServer : IAsyncDisposable
{
    private readonly OpcPlcOptions _options;
    private readonly List<ISimulatedNodes> _families = [];
    private readonly List<Func<IEnumerable<PublishedNode>>> _published = [];
    private volatile bool _listening;

    public PlcServer(OpcPlcOptions options)
    {
        _options = options;
        var host = options.EffectiveHostname;
        Server = new OpcUaServer(new ServerOptions
        {
            EndpointUrl = $"opc.tcp://{host}:{options.Port}{options.Path}",
            ListenOnAnyAddress = options.ListenOnAnyAddress,
            Identity = new ServerIdentity
            {
                ApplicationUri = $"urn:OpcPlc:{host}",
                ApplicationName = "EdgeApp OpcPlc",
                ProductUri = "urn:edgeapp:opcplc",
                ManufacturerName = "EdgeApp",
            },
        });
        AddressSpace = new PlcAddressSpace(Server.AddressSpace);
    }

    public OpcUaServer Server { get; }

    public PlcAddressSpace AddressSpace { get; }

    public BasicNodes? Basic { get; private set; }

    public AnomalyNodes? Anomaly { get; private set; }

    public SlowFastNodes? Slow { get; private set; }

    public SlowFastNodes? Fast { get; private set; }

    public BoilerNodes? Boiler { get; private set; }

    public UserNodes? User { get; private set; }

    /// <summary>The node families that change over time.</summary>
    public IReadOnlyList<ISimulatedNodes> Families => _families;

    public bool IsBuilt { get; private set; }

    /// <summary>True once the opc.tcp listener is open: the readiness of the app.</summary>
    public bool IsListening => _listening;

    /// <summary>Number of simulated and user variables (for logs and the benchmark).</summary>
    public int VariableCount { get; private set; }

    /// <summary>The endpoint URL with the real port (the configured host name, or the machine's).</summary>
    public string EndpointUrl => $"opc.tcp://{_options.EffectiveHostname}:{Server.Port}{_options.Path}";

    /// <summary>Creates every node family the options ask for. Throws <see cref="UserNodesFileException"/> for a bad nodes file.</summary>
    public void Build()
    {
        if (IsBuilt)
        {
            return;
        }

        var seed = _options.Seed ?? Random.Shared.Next();
        var count = 0;
        if (_options.DataValues)
        {
            Basic = Add(new BasicNodes(AddressSpace, _options, new Random(seed)));
            _published.Add(() => Basic.PublishedNodes);
            count += 4;
        }

        var anomaly = new AnomalyNodes(AddressSpace, _options, new Random(seed + 1));
        if (!anomaly.IsEmpty)
        {
            Anomaly = Add(anomaly);
            _published.Add(() => anomaly.PublishedNodes);
            count += anomaly.PublishedNodes.Count;
        }

        Slow = Add(new SlowFastNodes(AddressSpace, "Slow", _options.Slow, new Random(seed + 2)));
        _published.Add(Slow.PublishedNodes);
        Fast = Add(new SlowFastNodes(AddressSpace, "Fast", _options.Fast, new Random(seed + 3)));
        _published.Add(Fast.PublishedNodes);
        count += Slow.Nodes.Length + Fast.Nodes.Length + 2;

        if (_options.Boiler)
        {
            Boiler = Add(new BoilerNodes(AddressSpace));
            _published.Add(() => Boiler.PublishedNodes);
            count++;
        }

        if (_options.NodesFile is { Length: > 0 } file)
        {
            User = new UserNodes(AddressSpace, UserNodesFile.Load(file), file);
            _published.Add(() => User.PublishedNodes);
            count += User.Variables.Count;
        }

        VariableCount = count;
        IsBuilt = true;
    }

    /// <summary>Builds the address space (if not yet) and opens the opc.tcp listener.</summary>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        Build();
        try
        {
            await Server.StartAsync(cancellationToken);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new InvalidOperationException($"{OpcPlcOptions.Describe("Port")}: port {_options.Port} is already in use.", ex);
        }

        _listening = true;
    }

    /// <summary>Every node the PLC simulates (and the user nodes), as pn.json lists them.</summary>
    public IEnumerable<PublishedNode> PublishedNodes() => _published.SelectMany(source => source());

    /// <summary>pn.json with the host name (<c>--sph</c>) or the IP address (<c>--sp</c>) in EndpointUrl.</summary>
    public byte[] PublishedNodesJson()
    {
        // The node list is fixed once built (~7 MB of JSON at 100,000 nodes): built once per endpoint URL, not per GET.
        var host = _options.PublishedNodes.UseIpAddress ? PublishedNodesFile.LocalIpAddress() : _options.EffectiveHostname;
        var url = $"opc.tcp://{host}:{Server.Port}{_options.Path}";
        if (Volatile.Read(ref _publishedNodesJson) is { } cached && cached.Url == url && IsBuilt)
        {
            return cached.Json;
        }

        var json = PublishedNodesFile.ToJson(url, PublishedNodes());
        if (IsBuilt)
        {
            Volatile.Write(ref _publishedNodesJson, new CachedJson(url, json));
        }

        return json;
    }

    private sealed record CachedJson(string Url, byte[] Json);

    private CachedJson? _publishedNodesJson;

    /// <summary>Writes pn.json to <see cref="PublishedNodesOptions.Path"/>; returns the full path.</summary>
    public async Task<string> WritePublishedNodesAsync(CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(_options.PublishedNodes.Path);
        if (Path.GetDirectoryName(path) is { } directory)
        {
            Directory.CreateDirectory(directory);
        }

        // Write next to it and rename, so a publisher watching the file never reads half of it.
        var temporary = path + ".tmp";
        await File.WriteAllBytesAsync(temporary, PublishedNodesJson(), cancellationToken);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    public ValueTask DisposeAsync()
    {
        _listening = false;
        return Server.DisposeAsync();
    }

    private T Add<T>(T family)
        where T : ISimulatedNodes
    {
        _families.Add(family);
        return family;
    }
}
