using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>The application-facing API: folders, objects, variables of every built-in type and arrays, methods.</summary>
public sealed partial class NodeTable
{
    /// <summary>A folder (FolderType) organised under <paramref name="parent"/>.</summary>
    public ObjectNode AddFolder(Node parent, NodeId nodeId, string browseName, string? displayName = null) =>
        AddObject(parent, nodeId, browseName, ObjectTypeIds.FolderType, displayName);

    /// <summary>An object under <paramref name="parent"/> (Organizes from folders, HasComponent from objects).</summary>
    public ObjectNode AddObject(Node parent, NodeId nodeId, string browseName, NodeId? typeDefinition = null, string? displayName = null)
    {
        var node = AddNode(new ObjectNode(nodeId, new QualifiedName(nodeId.NamespaceIndex, browseName), displayName ?? browseName));
        AddReference(parent.NodeId, ChildReference(parent), nodeId);
        AddReference(nodeId, ReferenceTypeIds.HasTypeDefinition, typeDefinition ?? ObjectTypeIds.BaseObjectType);
        return node;
    }

    /// <summary>
    /// A variable whose data type and value rank follow from <typeparamref name="T"/> (int -> Int32 scalar,
    /// double[] -> Double array, Variant -> BaseDataType of any rank). Readable and writable by clients unless
    /// <paramref name="accessLevel"/> says otherwise.
    /// </summary>
    public VariableNode<T> AddVariable<T>(
        Node parent,
        NodeId nodeId,
        string browseName,
        T initialValue,
        AccessLevel accessLevel = AccessLevel.CurrentRead | AccessLevel.CurrentWrite,
        string? displayName = null)
    {
        var (dataType, valueRank) = DataTypeOf(typeof(T));
        var node = new VariableNode<T>(nodeId, new QualifiedName(nodeId.NamespaceIndex, browseName), displayName ?? browseName, dataType, valueRank)
        {
            AccessLevel = accessLevel,
            ArrayDimensions = valueRank > 0 ? new uint[valueRank] : null,
        };
        node.SetValue(Variant.From(initialValue));
        AddVariableNode(parent, node, VariableTypeIds.BaseDataVariableType);
        return node;
    }

    /// <summary>A variable with an explicit data type (for structures, enumerations or abstract types).</summary>
    public VariableNode AddVariable(Node parent, NodeId nodeId, string browseName, Variant initialValue, NodeId dataType, int valueRank = -1, AccessLevel accessLevel = AccessLevel.CurrentRead)
    {
        var node = new VariableNode(nodeId, new QualifiedName(nodeId.NamespaceIndex, browseName), browseName, dataType, valueRank) { AccessLevel = accessLevel };
        node.SetValue(initialValue);
        AddVariableNode(parent, node, VariableTypeIds.BaseDataVariableType);
        return node;
    }

    /// <summary>A property (HasProperty, PropertyType) such as EngineeringUnits or InputArguments.</summary>
    public VariableNode AddProperty(Node parent, NodeId nodeId, QualifiedName browseName, Variant value, NodeId dataType, int valueRank = -1)
    {
        var node = AddNode(new VariableNode(nodeId, browseName, browseName.Name, dataType, valueRank));
        node.SetValue(value);
        AddReference(parent.NodeId, ReferenceTypeIds.HasProperty, nodeId);
        AddReference(nodeId, ReferenceTypeIds.HasTypeDefinition, VariableTypeIds.PropertyType);
        return node;
    }

    /// <summary>
    /// A method component of <paramref name="parent"/> with its argument definitions exposed as InputArguments /
    /// OutputArguments properties, as generic clients expect.
    /// </summary>
    public MethodNode AddMethod(Node parent, NodeId nodeId, string browseName, MethodHandler handler, Argument[]? inputArguments = null, Argument[]? outputArguments = null)
    {
        var node = AddNode(new MethodNode(nodeId, new QualifiedName(nodeId.NamespaceIndex, browseName), browseName, handler)
        {
            InputArguments = inputArguments ?? [],
            OutputArguments = outputArguments ?? [],
        });
        AddReference(parent.NodeId, ReferenceTypeIds.HasComponent, nodeId);
        if (node.InputArguments.Length > 0)
        {
            AddArgumentsProperty(node, "InputArguments", node.InputArguments);
        }

        if (node.OutputArguments.Length > 0)
        {
            AddArgumentsProperty(node, "OutputArguments", node.OutputArguments);
        }

        return node;
    }

    private void AddArgumentsProperty(MethodNode method, string name, Argument[] arguments)
    {
        var id = method.NodeId.IdType == IdType.String
            ? new NodeId($"{method.NodeId.StringId}/{name}", method.NodeId.NamespaceIndex)
            : new NodeId(Guid.NewGuid(), method.NodeId.NamespaceIndex);
        var values = arguments.Select(a => new ExtensionObject(a)).ToArray();
        var property = AddProperty(method, id, new QualifiedName(0, name), Variant.FromArray(BuiltInType.ExtensionObject, values), DataTypeIds.Argument, 1);
        property.ArrayDimensions = [(uint)arguments.Length];
    }

    private void AddVariableNode(Node parent, VariableNode node, NodeId typeDefinition)
    {
        AddNode(node);
        AddReference(parent.NodeId, ChildReference(parent), node.NodeId);
        AddReference(node.NodeId, ReferenceTypeIds.HasTypeDefinition, typeDefinition);
    }

    // Folders organise their children; objects and variables own them as components.
    private NodeId ChildReference(Node parent) =>
        parent is ObjectNode && (parent.TypeDefinition == ObjectTypeIds.FolderType || parent.NodeId.NamespaceIndex == 0 && parent.TypeDefinition.IsNull)
            ? ReferenceTypeIds.Organizes
            : ReferenceTypeIds.HasComponent;

    /// <summary>The DataType NodeId and ValueRank for a CLR type (Part 3 §5.6.2, Part 6 built-in type ids).</summary>
    public static (NodeId DataType, int ValueRank) DataTypeOf(Type type)
    {
        var rank = -1;
        if (type.IsArray && type != typeof(byte[]))
        {
            rank = type.GetArrayRank();
            type = type.GetElementType()!;
        }

        if (type == typeof(Variant))
        {
            return (DataTypeIds.BaseDataType, rank == -1 ? -2 : rank);
        }

        if (type.IsEnum)
        {
            return (DataTypeIds.Enumeration, rank);
        }

        if (type == typeof(ServerStatusDataType))
        {
            return (DataTypeIds.ServerStatusDataType, rank);
        }

        if (type == typeof(BuildInfo))
        {
            return (DataTypeIds.BuildInfo, rank);
        }

        if (type == typeof(Argument))
        {
            return (DataTypeIds.Argument, rank);
        }

        var builtIn = Variant.BuiltInTypeOf(type);
        if (builtIn == BuiltInType.Null)
        {
            throw new ArgumentException($"{type.Name} has no OPC UA data type.", nameof(type));
        }

        return (builtIn == BuiltInType.ExtensionObject ? DataTypeIds.Structure : (uint)builtIn, rank);
    }
}
