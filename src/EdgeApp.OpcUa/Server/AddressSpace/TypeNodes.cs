using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>An ObjectType (Part 3 §5.5.2).</summary>
public sealed class ObjectTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, bool isAbstract = false)
    : Node(nodeId, browseName, displayName)
{
    public override NodeClass NodeClass => NodeClass.ObjectType;

    public bool IsAbstract { get; } = isAbstract;

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        if (attribute == AttributeId.IsAbstract)
        {
            value = new Variant(IsAbstract);
            return true;
        }

        return base.TryReadAttribute(attribute, out value);
    }
}

/// <summary>A VariableType (Part 3 §5.6.5).</summary>
public sealed class VariableTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, NodeId dataType, int valueRank, bool isAbstract = false)
    : Node(nodeId, browseName, displayName)
{
    public override NodeClass NodeClass => NodeClass.VariableType;

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        switch (attribute)
        {
            case AttributeId.Value: value = Variant.Null; return true;
            case AttributeId.DataType: value = new Variant(dataType); return true;
            case AttributeId.ValueRank: value = new Variant(valueRank); return true;
            case AttributeId.ArrayDimensions: value = Variant.FromArray(BuiltInType.UInt32, Array.Empty<uint>()); return true;
            case AttributeId.IsAbstract: value = new Variant(isAbstract); return true;
            default: return base.TryReadAttribute(attribute, out value);
        }
    }
}

/// <summary>A ReferenceType (Part 3 §5.3).</summary>
public sealed class ReferenceTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, bool isAbstract, bool symmetric, LocalizedText inverseName)
    : Node(nodeId, browseName, displayName)
{
    public override NodeClass NodeClass => NodeClass.ReferenceType;

    public bool IsAbstract { get; } = isAbstract;

    public bool Symmetric { get; } = symmetric;

    public LocalizedText InverseName { get; } = inverseName;

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        switch (attribute)
        {
            case AttributeId.IsAbstract: value = new Variant(IsAbstract); return true;
            case AttributeId.Symmetric: value = new Variant(Symmetric); return true;
            case AttributeId.InverseName: value = new Variant(InverseName); return true;
            default: return base.TryReadAttribute(attribute, out value);
        }
    }
}

/// <summary>A DataType (Part 3 §5.8.3).</summary>
public sealed class DataTypeNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, bool isAbstract = false)
    : Node(nodeId, browseName, displayName)
{
    public override NodeClass NodeClass => NodeClass.DataType;

    public bool IsAbstract { get; } = isAbstract;

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        if (attribute == AttributeId.IsAbstract)
        {
            value = new Variant(IsAbstract);
            return true;
        }

        return base.TryReadAttribute(attribute, out value);
    }
}
