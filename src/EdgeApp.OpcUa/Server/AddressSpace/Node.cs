using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>
/// A node of the address space (Part 3 §5): the base attributes and its references. Subclasses add the attributes of
/// their node class; <see cref="TryReadAttribute"/> answers the Read service without throwing.
/// </summary>
public abstract class Node
{
    protected Node(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    {
        NodeId = nodeId;
        BrowseName = browseName;
        DisplayName = displayName;
    }

    public NodeId NodeId { get; }

    public abstract NodeClass NodeClass { get; }

    public QualifiedName BrowseName { get; }

    public LocalizedText DisplayName { get; set; }

    public LocalizedText Description { get; set; }

    public uint WriteMask { get; set; }

    public ReferenceList References { get; } = new();

    /// <summary>The target of the first forward HasTypeDefinition reference, or null.</summary>
    public NodeId TypeDefinition
    {
        get
        {
            foreach (var reference in References.Snapshot())
            {
                if (!reference.IsInverse && reference.ReferenceTypeId == ReferenceTypeIds.HasTypeDefinition)
                {
                    return reference.TargetId;
                }
            }

            return NodeId.Null;
        }
    }

    /// <summary>Reads a non-Value attribute; false when the attribute does not exist for this node class.</summary>
    public virtual bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        switch (attribute)
        {
            case AttributeId.NodeId: value = new Variant(NodeId); return true;
            case AttributeId.NodeClass: value = new Variant((int)NodeClass); return true;
            case AttributeId.BrowseName: value = new Variant(BrowseName); return true;
            case AttributeId.DisplayName: value = new Variant(DisplayName); return true;
            case AttributeId.Description: value = new Variant(Description); return true;
            case AttributeId.WriteMask: value = new Variant(WriteMask); return true;
            case AttributeId.UserWriteMask: value = new Variant(WriteMask); return true;
            default: value = default; return false;
        }
    }

    public override string ToString() => $"{NodeClass} {BrowseName} ({NodeId})";
}

/// <summary>An Object (Part 3 §5.5.1); folders are objects of FolderType.</summary>
public class ObjectNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    : Node(nodeId, browseName, displayName)
{
    public override NodeClass NodeClass => NodeClass.Object;

    public byte EventNotifier { get; set; }

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        if (attribute == AttributeId.EventNotifier)
        {
            value = new Variant(EventNotifier);
            return true;
        }

        return base.TryReadAttribute(attribute, out value);
    }
}

/// <summary>A View (Part 3 §5.4); none are created yet, the class exists so Browse and Read know the node class.</summary>
public sealed class ViewNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName)
    : Node(nodeId, browseName, displayName)
{
    public override NodeClass NodeClass => NodeClass.View;

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        switch (attribute)
        {
            case AttributeId.ContainsNoLoops: value = new Variant(true); return true;
            case AttributeId.EventNotifier: value = new Variant((byte)0); return true;
            default: return base.TryReadAttribute(attribute, out value);
        }
    }
}
