using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>
/// OPC PLC's boiler #1, with its NodeIds in the Boiler namespace: <c>Objects/Boiler #1</c> (i=15070, BoilerType
/// i=15068) with <c>BoilerStatus</c> (i=15013, BoilerDataType). Every second the bottom temperature rises by 1 °C while
/// the heater is on and falls by 1 °C (to 20 °C) while it is off; top = max(20, bottom - 5); pressure = 100000 +
/// bottom. Methods <c>Methods/HeaterOn</c> and <c>HeaterOff</c> (ns=Boiler;s=HeaterOn). For clients that do not decode
/// structures, the fields are also scalar components of BoilerStatus in the BoilerInstance namespace
/// (<c>s=BoilerStatus.Temperature.Bottom</c>, ...), an addition of this simulator.
/// </summary>
public sealed class BoilerNodes : ISimulatedNodes
{
    public const uint BoilerObjectId = 15070;
    public const uint BoilerTypeId = 15068;
    public const uint BoilerStatusId = 15013;
    public const uint TemperatureTypeId = 15001;
    public const uint TemperatureEncodingId = 15004;
    public const uint HeaterStateTypeId = 15014;
    public const uint HeaterStateEnumStringsId = 15015;
    public const int MinimumTemperature = 20;

    private readonly Lock _gate = new();
    private readonly ushort _ns;
    private BoilerStatus _status;

    public BoilerNodes(PlcAddressSpace space)
    {
        _ns = space.BoilerNamespace;
        var nodes = space.Nodes;
        AddTypes(nodes);

        Boiler = nodes.AddObject(nodes.ObjectsFolder, Id(BoilerObjectId), "Boiler #1", Id(BoilerTypeId));
        Boiler.Description = "A simple boiler.";
        Boiler.EventNotifier = 1;

        _status = new BoilerStatus(MinimumTemperature, MinimumTemperature, 100_000 + MinimumTemperature, BoilerHeaterState.On, _ns);
        Status = nodes.AddVariable(Boiler, Id(BoilerStatusId), "BoilerStatus", new Variant(new ExtensionObject(_status)), Id(BoilerDataTypeId));

        var instance = space.BoilerInstanceNamespace;
        Top = Component(nodes, instance, "BoilerStatus.Temperature.Top", "Temperature (top)", MinimumTemperature);
        Bottom = Component(nodes, instance, "BoilerStatus.Temperature.Bottom", "Temperature (bottom)", MinimumTemperature);
        Pressure = Component(nodes, instance, "BoilerStatus.Pressure", "Pressure", 100_000 + MinimumTemperature);
        HeaterState = nodes.AddVariable(Status, new NodeId("BoilerStatus.HeaterState", instance), "HeaterState", new Variant((int)BoilerHeaterState.On), Id(HeaterStateTypeId));

        space.Method("HeaterOn", "Turn the heater on", () => SetHeater(BoilerHeaterState.On), _ns);
        space.Method("HeaterOff", "Turn the heater off", () => SetHeater(BoilerHeaterState.Off), _ns);
        PublishedNodes = [new PublishedNode(space.ExpandedId(Status.NodeId))];
    }

    public static uint BoilerDataTypeId => BoilerStatus.DataTypeId;

    public string Name => "boiler";

    public TimeSpan Period { get; } = TimeSpan.FromSeconds(1);

    public ObjectNode Boiler { get; }

    public VariableNode Status { get; }

    public VariableNode<int> Top { get; }

    public VariableNode<int> Bottom { get; }

    public VariableNode<int> Pressure { get; }

    public VariableNode HeaterState { get; }

    public IReadOnlyList<PublishedNode> PublishedNodes { get; }

    public BoilerStatus Current
    {
        get
        {
            lock (_gate)
            {
                return _status;
            }
        }
    }

    public void Tick(DateTime now)
    {
        lock (_gate)
        {
            var bottom = _status.HeaterState == BoilerHeaterState.On
                ? _status.Bottom + 1
                : Math.Max(MinimumTemperature, _status.Bottom - 1);
            Publish(_status with { Bottom = bottom, Top = Math.Max(MinimumTemperature, bottom - 5), Pressure = 100_000 + bottom }, now);
        }
    }

    private void SetHeater(BoilerHeaterState state)
    {
        lock (_gate)
        {
            Publish(_status with { HeaterState = state }, DateTime.UtcNow);
        }
    }

    private void Publish(BoilerStatus status, DateTime now)
    {
        _status = status;
        Status.SetValue(new Variant(new ExtensionObject(status)), default, now);
        Top.Set(status.Top, default, now);
        Bottom.Set(status.Bottom, default, now);
        Pressure.Set(status.Pressure, default, now);
        HeaterState.SetValue(new Variant((int)status.HeaterState), default, now);
    }

    private VariableNode<int> Component(NodeTable nodes, ushort ns, string id, string description, int value)
    {
        var node = nodes.AddVariable(Status, new NodeId(id, ns), id["BoilerStatus.".Length..], value, AccessLevel.CurrentRead);
        node.Description = description;
        return node;
    }

    private NodeId Id(uint id) => new(id, _ns);

    private void AddTypes(NodeTable nodes)
    {
        // BoilerTemperatureType and BoilerDataType: structures with their DefaultBinary encodings.
        AddStructure(nodes, TemperatureTypeId, "BoilerTemperatureType", TemperatureEncodingId,
            "Temperature in °C next to the heater at the bottom, and away from the heater at the top.");
        AddStructure(nodes, BoilerDataTypeId, "BoilerDataType", BoilerStatus.BinaryEncodingNumericId,
            "Temperature in °C, pressure in Pa and heater state.");

        // BoilerHeaterStateType: Off = 0, On = 1.
        var heater = nodes.AddNode(new DataTypeNode(Id(HeaterStateTypeId), new QualifiedName(_ns, "BoilerHeaterStateType"), "BoilerHeaterStateType"));
        heater.Description = "Heater working state.";
        nodes.AddReference(DataTypeIds.Enumeration, ReferenceTypeIds.HasSubtype, heater.NodeId);
        var names = Variant.FromArray(BuiltInType.LocalizedText, new LocalizedText[] { new("Off"), new("On") });
        var strings = nodes.AddProperty(heater, Id(HeaterStateEnumStringsId), new QualifiedName(0, "EnumStrings"), names, (uint)BuiltInType.LocalizedText, 1);
        strings.ArrayDimensions = [2];

        var type = nodes.AddNode(new ObjectTypeNode(Id(BoilerTypeId), new QualifiedName(_ns, "BoilerType"), "BoilerType"));
        nodes.AddReference(ObjectTypeIds.BaseObjectType, ReferenceTypeIds.HasSubtype, type.NodeId);
    }

    private void AddStructure(NodeTable nodes, uint id, string name, uint encodingId, string description)
    {
        var dataType = nodes.AddNode(new DataTypeNode(Id(id), new QualifiedName(_ns, name), name));
        dataType.Description = description;
        nodes.AddReference(DataTypeIds.Structure, ReferenceTypeIds.HasSubtype, dataType.NodeId);
        var encoding = nodes.AddNode(new ObjectNode(Id(encodingId), new QualifiedName(0, "Default Binary"), "Default Binary"));
        nodes.AddReference(dataType.NodeId, ReferenceTypeIds.HasEncoding, encoding.NodeId);
        nodes.AddReference(encoding.NodeId, ReferenceTypeIds.HasTypeDefinition, ObjectTypeIds.DataTypeEncodingType);
    }
}
