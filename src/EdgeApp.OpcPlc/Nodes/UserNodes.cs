using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>
/// The nodes of a user nodes file (<c>--nf</c>), in folders under <c>OpcPlc</c>. They are not simulated: they keep their
/// value until a client writes one.
/// </summary>
public sealed class UserNodes
{
    private readonly List<PublishedNode> _published = [];

    // Folders made for this file, by parent and name: a folder listed twice at the same place is one folder.
    private readonly Dictionary<(NodeId Parent, string Name), ObjectNode> _folders = [];

    public UserNodes(PlcAddressSpace space, UserNodesFolder folder, string fileName)
    {
        Add(space, space.Root, folder, fileName, folder.Name);
    }

    public IReadOnlyList<PublishedNode> PublishedNodes => _published;

    public List<VariableNode> Variables { get; } = [];

    private void Add(PlcAddressSpace space, ObjectNode parent, UserNodesFolder folder, string fileName, string path)
    {
        var folderNode = Folder(space, parent, folder.Name, fileName, path);
        foreach (var node in folder.Nodes)
        {
            var id = node.Identifier switch
            {
                uint numeric => new NodeId(numeric, space.Namespace),
                Guid guid => new NodeId(guid, space.Namespace),
                _ => space.Id((string)node.Identifier),
            };
            if (space.Nodes.Find(id) is { } existing)
            {
                throw new UserNodesFileException($"{fileName} line {node.Line}, column {node.Column}: NodeId {space.ExpandedId(id)} is already used by {existing.NodeClass} '{existing.DisplayName}'.");
            }

            var variable = space.Nodes.AddVariable(folderNode, id, node.BrowseName, node.Value, (uint)node.DataType, node.ValueRank, node.AccessLevel);
            variable.DisplayName = node.DisplayName;
            variable.Description = node.Description;
            if (node.ValueRank == 1)
            {
                variable.ArrayDimensions = [0];
            }

            Variables.Add(variable);
            _published.Add(new PublishedNode(space.ExpandedId(id)));
        }

        foreach (var child in folder.Folders)
        {
            Add(space, folderNode, child, fileName, path + "/" + child.Name);
        }
    }

    /// <summary>
    /// The folder <paramref name="name"/> under <paramref name="parent"/>, looked up among that parent's folders of this
    /// file only (Area1/Motor and Area2/Motor are two folders). Its NodeId is the name, as OPC PLC does, or the path
    /// when the name is taken; a folder that would sit beside one of the PLC's own with the same name is an error.
    /// </summary>
    private ObjectNode Folder(PlcAddressSpace space, ObjectNode parent, string name, string fileName, string path)
    {
        if (_folders.TryGetValue((parent.NodeId, name), out var existing))
        {
            return existing;
        }

        foreach (var reference in parent.References.Snapshot())
        {
            if (!reference.IsInverse && space.Nodes.Find(reference.TargetId) is { } sibling && sibling.BrowseName.Name == name)
            {
                throw new UserNodesFileException($"{fileName}: folder '{path}' clashes with the PLC's {sibling.NodeClass} '{sibling.DisplayName}' ({space.ExpandedId(sibling.NodeId)}) in the same place.");
            }
        }

        var id = space.Nodes.Find(space.Id(name)) is null ? space.Id(name) : space.Id(path);
        if (space.Nodes.Find(id) is { } taken)
        {
            throw new UserNodesFileException($"{fileName}: folder '{path}' would get NodeId {space.ExpandedId(id)}, already used by {taken.NodeClass} '{taken.DisplayName}'.");
        }

        var folder = space.Nodes.AddFolder(parent, id, name);
        _folders[(parent.NodeId, name)] = folder;
        return folder;
    }
}
