using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.AddressSpace;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>View service set, browsing (Part 4 §5.8.2 Browse, §5.8.3 BrowseNext) with per-session continuation points.</summary>
internal static class ViewHandlers
{
    public static void Register(ServiceDispatcher dispatcher)
    {
        dispatcher.Register<BrowseRequest>(Browse, SessionRequirement.Activated);
        dispatcher.Register<BrowseNextRequest>(BrowseNext, SessionRequirement.Activated);
        PathHandlers.Register(dispatcher);
    }

    private static ValueTask<IServiceResponse> Browse(RequestContext context, BrowseRequest request)
    {
        var limits = context.Server.Options.Limits;
        Limits.CheckCount(request.NodesToBrowse.Length, limits.MaxNodesPerBrowse);
        if (!request.View.ViewId.IsNull)
        {
            throw new OpcUaException(StatusCodes.BadViewIdUnknown, "This server has no views.");
        }

        var pageSize = request.RequestedMaxReferencesPerNode == 0
            ? limits.MaxReferencesPerNode
            : (int)Math.Min(request.RequestedMaxReferencesPerNode, (uint)limits.MaxReferencesPerNode);
        var results = new BrowseResult[request.NodesToBrowse.Length];
        var budget = new Budget(limits.MaxReferencesPerBrowse);
        for (var i = 0; i < results.Length; i++)
        {
            var description = request.NodesToBrowse[i];
            var status = Check(context.Server.AddressSpace, description, out var node);
            results[i] = status.IsBad ? new BrowseResult { StatusCode = status } : Page(context, node!, description, 0, pageSize, budget, request);
        }

        return ValueTask.FromResult<IServiceResponse>(new BrowseResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> BrowseNext(RequestContext context, BrowseNextRequest request)
    {
        Limits.CheckCount(request.ContinuationPoints.Length, context.Server.Options.Limits.MaxNodesPerBrowse);
        var session = context.Session!;
        var results = new BrowseResult[request.ContinuationPoints.Length];
        var budget = new Budget(context.Server.Options.Limits.MaxReferencesPerBrowse);
        for (var i = 0; i < results.Length; i++)
        {
            if (!session.TryTakeContinuation(request.ContinuationPoints[i], out var continuation))
            {
                results[i] = new BrowseResult { StatusCode = StatusCodes.BadContinuationPointInvalid };
                continue;
            }

            if (request.ReleaseContinuationPoints)
            {
                results[i] = new BrowseResult();
                continue;
            }

            // The node may have been removed since.
            results[i] = context.Server.AddressSpace.TryGetNode(continuation.Description.NodeId, out var node)
                ? Page(context, node, continuation.Description, continuation.Position, continuation.PageSize, budget, request)
                : new BrowseResult { StatusCode = StatusCodes.BadNodeIdUnknown };
        }

        return ValueTask.FromResult<IServiceResponse>(new BrowseNextResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    /// <summary>References one response may still carry in all (ServerLimits.MaxReferencesPerBrowse).</summary>
    private sealed class Budget(int total)
    {
        public int Left { get; set; } = total;
    }

    /// <summary>
    /// Builds one page from the node's references starting at <paramref name="start"/>, describing only what is returned;
    /// when more match, a continuation point remembers where (BadNoContinuationPoints when none can be had).
    /// </summary>
    private static BrowseResult Page(RequestContext context, Node node, BrowseDescription description, int start, int pageSize, Budget budget, object request)
    {
        var nodes = context.Server.AddressSpace;
        var take = Math.Max(1, Math.Min(pageSize, budget.Left));
        var references = node.References.Snapshot();
        var page = new List<ReferenceDescription>(Math.Min(take, 256));
        var position = start;
        for (; position < references.Length; position++)
        {
            if (!Matches(nodes, description, references[position], out var target))
            {
                continue;
            }

            if (page.Count == take)
            {
                break; // another match: the next page starts here
            }

            page.Add(Describe(references[position], target, description.ResultMask));
        }

        budget.Left = Math.Max(0, budget.Left - page.Count);
        if (position >= references.Length)
        {
            return new BrowseResult { References = [.. page] };
        }

        var point = context.Session!.AddContinuation(new BrowseContinuation(description, position, pageSize, request), context.Server.Options.Limits.MaxBrowseContinuationPoints);
        return point is null
            ? new BrowseResult { StatusCode = StatusCodes.BadNoContinuationPoints }
            : new BrowseResult { References = [.. page], ContinuationPoint = point };
    }

    /// <summary>The checks of Browse before any reference is looked at (node, direction, reference type).</summary>
    private static StatusCode Check(NodeTable nodes, BrowseDescription description, out Node? node)
    {
        if (!nodes.TryGetNode(description.NodeId, out node))
        {
            return StatusCodes.BadNodeIdUnknown;
        }

        if (description.BrowseDirection is < BrowseDirection.Forward or > BrowseDirection.Both)
        {
            return StatusCodes.BadBrowseDirectionInvalid;
        }

        var filterType = description.ReferenceTypeId;
        return !filterType.IsNull && !(nodes.TryGetNode(filterType, out var typeNode) && typeNode is ReferenceTypeNode)
            ? StatusCodes.BadReferenceTypeIdInvalid
            : StatusCodes.Good;
    }

    private static bool Matches(NodeTable nodes, BrowseDescription description, in NodeReference reference, out Node? target)
    {
        target = null;
        if (!DirectionMatches(description.BrowseDirection, reference.IsInverse) ||
            !TypeMatches(nodes, description.ReferenceTypeId, description.IncludeSubtypes, reference.ReferenceTypeId))
        {
            return false;
        }

        nodes.TryGetNode(reference.TargetId, out target);
        var targetClass = target?.NodeClass ?? NodeClass.Unspecified;
        return description.NodeClassMask == 0 || ((uint)targetClass & description.NodeClassMask) != 0;
    }

    private static bool DirectionMatches(BrowseDirection direction, bool isInverse) => direction switch
    {
        BrowseDirection.Forward => !isInverse,
        BrowseDirection.Inverse => isInverse,
        _ => true,
    };

    internal static bool TypeMatches(NodeTable nodes, NodeId filter, bool includeSubtypes, NodeId actual) =>
        filter.IsNull || actual == filter || (includeSubtypes && nodes.IsSubtypeOf(actual, filter));

    private static ReferenceDescription Describe(NodeReference reference, Node? target, BrowseResultMask mask)
    {
        var description = new ReferenceDescription { NodeId = reference.TargetId };
        if ((mask & BrowseResultMask.ReferenceTypeId) != 0) description.ReferenceTypeId = reference.ReferenceTypeId;
        if ((mask & BrowseResultMask.IsForward) != 0) description.IsForward = !reference.IsInverse;
        if (target is null)
        {
            return description;
        }

        if ((mask & BrowseResultMask.NodeClass) != 0) description.NodeClass = target.NodeClass;
        if ((mask & BrowseResultMask.BrowseName) != 0) description.BrowseName = target.BrowseName;
        if ((mask & BrowseResultMask.DisplayName) != 0) description.DisplayName = target.DisplayName;
        if ((mask & BrowseResultMask.TypeDefinition) != 0 && target.NodeClass is NodeClass.Object or NodeClass.Variable)
        {
            description.TypeDefinition = target.TypeDefinition;
        }

        return description;
    }
}
