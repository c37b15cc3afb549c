using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.AddressSpace;

/// <summary>Who called a method, on which object.</summary>
public sealed record MethodCallContext(NodeId ObjectId, NodeId MethodId, NodeId SessionId);

/// <summary>
/// Runs a method with validated input arguments and returns its outputs. Throw <see cref="OpcUaException"/> to answer
/// with a specific status (for example BadInvalidArgument or BadInvalidState).
/// </summary>
public delegate ValueTask<Variant[]> MethodHandler(MethodCallContext context, IReadOnlyList<Variant> inputs);

/// <summary>A Method (Part 3 §5.7) with its InputArguments/OutputArguments definitions.</summary>
public sealed class MethodNode(NodeId nodeId, QualifiedName browseName, LocalizedText displayName, MethodHandler handler)
    : Node(nodeId, browseName, displayName)
{
    public override NodeClass NodeClass => NodeClass.Method;

    public MethodHandler Handler { get; } = handler;

    public bool Executable { get; set; } = true;

    public Argument[] InputArguments { get; init; } = [];

    public Argument[] OutputArguments { get; init; } = [];

    public override bool TryReadAttribute(AttributeId attribute, out Variant value)
    {
        switch (attribute)
        {
            case AttributeId.Executable: value = new Variant(Executable); return true;
            case AttributeId.UserExecutable: value = new Variant(Executable); return true;
            default: return base.TryReadAttribute(attribute, out value);
        }
    }
}
