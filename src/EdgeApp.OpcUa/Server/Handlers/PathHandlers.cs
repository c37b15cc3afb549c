using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>View service set, paths and registration (Part 4 §5.8.4 - §5.8.6).</summary>
internal static class PathHandlers
{
    public static void Register(ServiceDispatcher dispatcher)
    {
        dispatcher.Register<TranslateBrowsePathsToNodeIdsRequest>(Translate, SessionRequirement.Activated);
        dispatcher.Register<RegisterNodesRequest>(RegisterNodes, SessionRequirement.Activated);
        dispatcher.Register<UnregisterNodesRequest>(UnregisterNodes, SessionRequirement.Activated);
    }

    private static ValueTask<IServiceResponse> Translate(RequestContext context, TranslateBrowsePathsToNodeIdsRequest request)
    {
        Limits.CheckCount(request.BrowsePaths.Length, context.Server.Options.Limits.MaxNodesPerTranslateBrowsePathsToNodeIds);
        var results = request.BrowsePaths.Select(path => Follow(context.Server.AddressSpace, path)).ToArray();
        return ValueTask.FromResult<IServiceResponse>(new TranslateBrowsePathsToNodeIdsResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            Results = results,
        });
    }

    private static BrowsePathResult Follow(NodeTable nodes, BrowsePath path)
    {
        if (!nodes.TryGetNode(path.StartingNode, out _))
        {
            return new BrowsePathResult { StatusCode = StatusCodes.BadNodeIdUnknown };
        }

        if (path.RelativePath.Length == 0)
        {
            return new BrowsePathResult { StatusCode = StatusCodes.BadNothingToDo };
        }

        var current = new List<NodeId> { path.StartingNode };
        foreach (var element in path.RelativePath)
        {
            if (element.TargetName.IsNull)
            {
                return new BrowsePathResult { StatusCode = StatusCodes.BadBrowseNameInvalid };
            }

            var next = new List<NodeId>();
            foreach (var id in current)
            {
                foreach (var reference in nodes.Find(id)!.References.Snapshot())
                {
                    if (reference.IsInverse == element.IsInverse &&
                        ViewHandlers.TypeMatches(nodes, element.ReferenceTypeId, element.IncludeSubtypes, reference.ReferenceTypeId) &&
                        nodes.TryGetNode(reference.TargetId, out var target) && target.BrowseName == element.TargetName &&
                        !next.Contains(target.NodeId))
                    {
                        next.Add(target.NodeId);
                    }
                }
            }

            if (next.Count == 0)
            {
                return new BrowsePathResult { StatusCode = StatusCodes.BadNoMatch };
            }

            current = next;
        }

        return new BrowsePathResult { Targets = current.Select(id => new BrowsePathTarget { TargetId = id }).ToArray() };
    }

    // Registration lets a client name nodes it uses often; ids are already cheap to look up, so they come back unchanged.
    private static ValueTask<IServiceResponse> RegisterNodes(RequestContext context, RegisterNodesRequest request)
    {
        Limits.CheckCount(request.NodesToRegister.Length, context.Server.Options.Limits.MaxNodesPerRegisterNodes);
        return ValueTask.FromResult<IServiceResponse>(new RegisterNodesResponse
        {
            ResponseHeader = ResponseHeader.For(request.RequestHeader),
            RegisteredNodeIds = [.. request.NodesToRegister],
        });
    }

    private static ValueTask<IServiceResponse> UnregisterNodes(RequestContext context, UnregisterNodesRequest request)
    {
        Limits.CheckCount(request.NodesToUnregister.Length, context.Server.Options.Limits.MaxNodesPerRegisterNodes);
        return ValueTask.FromResult<IServiceResponse>(new UnregisterNodesResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader) });
    }
}
