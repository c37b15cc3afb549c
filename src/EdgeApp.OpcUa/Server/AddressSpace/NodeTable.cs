using System.Collections.Concurrent;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>
/// The address space: nodes by NodeId (lock-free lookups), namespaces, and the builder API the PLC simulator uses.
/// Nodes may be added while clients browse; every add is visible atomically.
/// </summary>
public sealed partial class NodeTable
{
    private readonly ConcurrentDictionary<NodeId, Node> _nodes = new();
    private readonly List<string> _namespaces = ["http://opcfoundation.org/UA/"];
    private readonly Lock _namespaceGate = new();

    /// <summary>A table holding the standard namespace-0 nodes, with namespace 1 = the server's ApplicationUri.</summary>
    public NodeTable(ServerIdentity identity, ServerLimits limits)
    {
        RegisterNamespace(identity.ApplicationUri);
        Namespace0.Build(this, identity, limits);
    }

    public int Count => _nodes.Count;

    /// <summary>NamespaceArray: index 0 is the OPC UA namespace, index 1 the server's own.</summary>
    public IReadOnlyList<string> Namespaces
    {
        get
        {
            lock (_namespaceGate)
            {
                return [.. _namespaces];
            }
        }
    }

    public ObjectNode RootFolder => (ObjectNode)_nodes[ObjectIds.RootFolder];

    public ObjectNode ObjectsFolder => (ObjectNode)_nodes[ObjectIds.ObjectsFolder];

    public ObjectNode ServerObject => (ObjectNode)_nodes[ObjectIds.Server];

    /// <summary>Returns the index of <paramref name="uri"/>, adding it to the NamespaceArray if new.</summary>
    public ushort RegisterNamespace(string uri)
    {
        ArgumentException.ThrowIfNullOrEmpty(uri);
        lock (_namespaceGate)
        {
            var index = _namespaces.IndexOf(uri);
            if (index < 0)
            {
                _namespaces.Add(uri);
                index = _namespaces.Count - 1;
            }

            return (ushort)index;
        }
    }

    public int GetNamespaceIndex(string uri)
    {
        lock (_namespaceGate)
        {
            return _namespaces.IndexOf(uri);
        }
    }

    /// <summary>Resolves <c>nsu=</c> ids to this server's indexes; null when the URI is not known here.</summary>
    public NodeId? ToNodeId(ExpandedNodeId id)
    {
        if (id.NamespaceUri is null)
        {
            return id.NodeId;
        }

        var index = GetNamespaceIndex(id.NamespaceUri);
        if (index < 0)
        {
            return null;
        }

        return id.NodeId.IdType switch
        {
            IdType.Numeric => new NodeId(id.NodeId.NumericId, (ushort)index),
            IdType.String => new NodeId(id.NodeId.StringId, (ushort)index),
            IdType.Guid => new NodeId(id.NodeId.GuidId, (ushort)index),
            _ => new NodeId(id.NodeId.OpaqueId, (ushort)index),
        };
    }

    public bool TryGetNode(NodeId nodeId, out Node node) => _nodes.TryGetValue(nodeId, out node!);

    public Node? Find(NodeId nodeId) => _nodes.GetValueOrDefault(nodeId);

    public T Get<T>(NodeId nodeId)
        where T : Node => _nodes.TryGetValue(nodeId, out var node) && node is T typed
            ? typed
            : throw new KeyNotFoundException($"No {typeof(T).Name} {nodeId}.");

    /// <summary>Adds a node without references. Throws when the NodeId is taken.</summary>
    public T AddNode<T>(T node)
        where T : Node
    {
        if (!_nodes.TryAdd(node.NodeId, node))
        {
            throw new ArgumentException($"NodeId {node.NodeId} already exists.", nameof(node));
        }

        return node;
    }

    /// <summary>Adds a reference and its inverse on the target (when the target is in this table).</summary>
    public void AddReference(NodeId source, NodeId referenceType, NodeId target)
    {
        if (!_nodes.TryGetValue(source, out var sourceNode))
        {
            throw new KeyNotFoundException($"No node {source}.");
        }

        sourceNode.References.Add(new NodeReference(referenceType, false, target));
        if (_nodes.TryGetValue(target, out var targetNode))
        {
            targetNode.References.Add(new NodeReference(referenceType, true, source));
        }
    }

    /// <summary>Removes a node and every reference to it held by its neighbours.</summary>
    public bool RemoveNode(NodeId nodeId)
    {
        if (!_nodes.TryRemove(nodeId, out var node))
        {
            return false;
        }

        foreach (var reference in node.References.Snapshot())
        {
            if (_nodes.TryGetValue(reference.TargetId, out var neighbour))
            {
                neighbour.References.RemoveAll(r => r.TargetId == nodeId);
            }
        }

        if (node is VariableNode variable)
        {
            // Monitored items of the node report it gone (once: the value no longer changes) instead of sampling it on.
            variable.ValueSource = null;
            variable.SetValue(Variant.Null, StatusCodes.BadNodeIdUnknown);
        }

        return true;
    }

    /// <summary>True when <paramref name="type"/> is <paramref name="ancestor"/> or one of its subtypes (HasSubtype chain).</summary>
    public bool IsSubtypeOf(NodeId type, NodeId ancestor)
    {
        for (var depth = 0; depth < 32; depth++)
        {
            if (type == ancestor)
            {
                return true;
            }

            if (!_nodes.TryGetValue(type, out var node) || !TryGetSupertype(node, out type))
            {
                return false;
            }
        }

        return false;
    }

    private static bool TryGetSupertype(Node node, out NodeId supertype)
    {
        foreach (var reference in node.References.Snapshot())
        {
            if (reference.IsInverse && reference.ReferenceTypeId == ReferenceTypeIds.HasSubtype)
            {
                supertype = reference.TargetId;
                return true;
            }
        }

        supertype = default;
        return false;
    }

    public IEnumerable<Node> Nodes => _nodes.Values;

    internal static NodeClass ClassOf(Node node) => node.NodeClass;
}
