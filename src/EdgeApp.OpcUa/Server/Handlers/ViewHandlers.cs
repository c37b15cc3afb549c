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
        for (var i = 0; i < results.Length; i++)
        {
            var status = Collect(context.Server.AddressSpace, request.NodesToBrowse[i], out var references);
            results[i] = status.IsBad ? new BrowseResult { StatusCode = status } : Page(context, references, 0, pageSize);
        }

        return ValueTask.FromResult<IServiceResponse>(new BrowseResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    private static ValueTask<IServiceResponse> BrowseNext(RequestContext context, BrowseNextRequest request)
    {
        Limits.CheckCount(request.ContinuationPoints.Length, context.Server.Options.Limits.MaxNodesPerBrowse);
        var session = context.Session!;
        var results = new BrowseResult[request.ContinuationPoints.Length];
        for (var i = 0; i < results.Length; i++)
        {
            if (!session.TryTakeContinuation(request.ContinuationPoints[i], out var continuation))
            {
                results[i] = new BrowseResult { StatusCode = StatusCodes.BadContinuationPointInvalid };
                continue;
            }

            results[i] = request.ReleaseContinuationPoints
                ? new BrowseResult()
                : Page(context, continuation.References, continuation.Offset, continuation.PageSize);
        }

        return ValueTask.FromResult<IServiceResponse>(new BrowseNextResponse { ResponseHeader = ResponseHeader.For(request.RequestHeader), Results = results });
    }

    /// <summary>Returns the first page; the rest goes to a continuation point (BadNoContinuationPoints when none is free).</summary>
    private static BrowseResult Page(RequestContext context, ReferenceDescription[] references, int offset, int pageSize)
    {
        var remaining = references.Length - offset;
        if (remaining <= pageSize)
        {
            return new BrowseResult { References = offset == 0 ? references : references[offset..] };
        }

        var point = context.Session!.AddContinuation(new BrowseContinuation(references, offset + pageSize, pageSize), context.Server.Options.Limits.MaxBrowseContinuationPoints);
        return point is null
            ? new BrowseResult { StatusCode = StatusCodes.BadNoContinuationPoints }
            : new BrowseResult { References = references[offset..(offset + pageSize)], ContinuationPoint = point };
    }

    internal static StatusCode Collect(NodeTable nodes, BrowseDescription description, out ReferenceDescription[] found)
    {
        found = [];
        if (!nodes.TryGetNode(description.NodeId, out var node))
        {
            return StatusCodes.BadNodeIdUnknown;
        }

        if (description.BrowseDirection is < BrowseDirection.Forward or > BrowseDirection.Both)
        {
            return StatusCodes.BadBrowseDirectionInvalid;
        }

        var filterType = description.ReferenceTypeId;
        if (!filterType.IsNull && !(nodes.TryGetNode(filterType, out var typeNode) && typeNode is ReferenceTypeNode))
        {
            return StatusCodes.BadReferenceTypeIdInvalid;
        }

        var list = new List<ReferenceDescription>();
        foreach (var reference in node.References.Snapshot())
        {
            if (!DirectionMatches(description.BrowseDirection, reference.IsInverse) ||
                !TypeMatches(nodes, filterType, description.IncludeSubtypes, reference.ReferenceTypeId))
            {
                continue;
            }

            nodes.TryGetNode(reference.TargetId, out var target);
            var targetClass = target?.NodeClass ?? NodeClass.Unspecified;
            if (description.NodeClassMask != 0 && ((uint)targetClass & description.NodeClassMask) == 0)
            {
                continue;
            }

            list.Add(Describe(reference, target, description.ResultMask));
        }

        found = [.. list];
        return StatusCodes.Good;
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
