using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>
/// OPC PLC's skeleton: <c>Objects/OpcPlc</c> with the folders <c>Telemetry</c> (simulated values),
/// <c>Methods</c> and <c>SimulatorConfiguration</c>, all with string NodeIds in the OPC PLC namespace.
/// </summary>
public sealed class PlcAddressSpace
{
    public PlcAddressSpace(NodeTable nodes)
    {
        Nodes = nodes;
        nodes.RegisterNamespace(PlcNamespaces.Diagnostics);
        Namespace = nodes.RegisterNamespace(PlcNamespaces.OpcPlc);
        BoilerNamespace = nodes.RegisterNamespace(PlcNamespaces.Boiler);
        BoilerInstanceNamespace = nodes.RegisterNamespace(PlcNamespaces.BoilerInstance);

        Root = nodes.AddFolder(nodes.ObjectsFolder, Id("OpcPlc"), "OpcPlc");
        Telemetry = nodes.AddFolder(Root, Id("Telemetry"), "Telemetry");
        Methods = nodes.AddFolder(Root, Id("Methods"), "Methods");
        SimulatorConfiguration = nodes.AddFolder(Root, Id("SimulatorConfiguration"), "SimulatorConfiguration");
    }

    public NodeTable Nodes { get; }

    public ushort Namespace { get; }

    public ushort BoilerNamespace { get; }

    public ushort BoilerInstanceNamespace { get; }

    public ObjectNode Root { get; }

    public ObjectNode Telemetry { get; }

    public ObjectNode Methods { get; }

    public ObjectNode SimulatorConfiguration { get; }

    /// <summary>A string NodeId in the OPC PLC namespace.</summary>
    public NodeId Id(string name) => new(name, Namespace);

    /// <summary>A folder under <paramref name="parent"/>, or the existing one (families share Telemetry/Anomaly).</summary>
    public ObjectNode Folder(ObjectNode parent, string name) =>
        Nodes.Find(Id(name)) as ObjectNode ?? Nodes.AddFolder(parent, Id(name), name);

    /// <summary>A variable with OPC PLC's conventions: string id = browse name, a description.</summary>
    public VariableNode<T> Variable<T>(ObjectNode parent, string name, T initialValue, AccessLevel access, string description)
    {
        var node = Nodes.AddVariable(parent, Id(name), name, initialValue, access);
        node.Description = description;
        return node;
    }

    /// <summary>A method without arguments in the Methods folder that runs <paramref name="action"/>.</summary>
    public MethodNode Method(string name, string description, Action action, ushort? namespaceIndex = null)
    {
        var method = Nodes.AddMethod(Methods, new NodeId(name, namespaceIndex ?? Namespace), name, (_, _) =>
        {
            action();
            return ValueTask.FromResult<Variant[]>([]);
        });
        method.Description = description;
        return method;
    }

    /// <summary>The published-nodes form of a node of this server: <c>nsu=uri;s=id</c>.</summary>
    public string ExpandedId(NodeId id)
    {
        var uri = Nodes.Namespaces[id.NamespaceIndex];
        var identifier = id.IdType switch
        {
            IdType.Numeric => "i=" + id.NumericId.ToString(System.Globalization.CultureInfo.InvariantCulture),
            IdType.String => "s=" + id.StringId,
            IdType.Guid => "g=" + id.GuidId.ToString("D"),
            _ => "b=" + Convert.ToBase64String(id.OpaqueId),
        };
        return id.NamespaceIndex == 0 ? identifier : $"nsu={uri};{identifier}";
    }
}

/// <summary>A node listed in pn.json, with the intervals OPC PLC writes for it (0 = left out).</summary>
public sealed record PublishedNode(string Id, int PublishingIntervalMs = 0, int SamplingIntervalMs = 0);

/// <summary>A node family that is updated on a timer.</summary>
public interface ISimulatedNodes
{
    /// <summary>Name of the rate group in logs ("cycle", "slow", "fast", "boiler").</summary>
    string Name { get; }

    /// <summary>Time between two <see cref="Tick"/>s.</summary>
    TimeSpan Period { get; }

    /// <summary>Advances the simulation by one step; <paramref name="now"/> is the source timestamp of the new values.</summary>
    void Tick(DateTime now);
}
