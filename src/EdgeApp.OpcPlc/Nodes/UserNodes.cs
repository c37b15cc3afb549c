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

    public UserNodes(PlcAddressSpace space, UserNodesFolder folder, string fileName)
    {
        Add(space, space.Root, folder, fileName);
    }

    public IReadOnlyList<PublishedNode> PublishedNodes => _published;

    public List<VariableNode> Variables { get; } = [];

    private void Add(PlcAddressSpace space, ObjectNode parent, UserNodesFolder folder, string fileName)
    {
        var folderNode = space.Folder(parent, folder.Name);
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
            Add(space, folderNode, child, fileName);
        }
    }
}
