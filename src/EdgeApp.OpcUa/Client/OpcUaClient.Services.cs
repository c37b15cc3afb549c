using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Client;

/// <summary>The service sets of Part 4, as async methods returning the per-operation results.</summary>
public sealed partial class OpcUaClient
{
    private string[]? _namespaces;

    /// <summary>GetEndpoints (Part 4 §5.4.4).</summary>
    public async Task<EndpointDescription[]> GetEndpointsAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<GetEndpointsResponse>(new GetEndpointsRequest { EndpointUrl = EndpointUrl }, cancellationToken)).Endpoints;

    /// <summary>FindServers (Part 4 §5.4.2).</summary>
    public async Task<ApplicationDescription[]> FindServersAsync(CancellationToken cancellationToken = default) =>
        (await SendAsync<FindServersResponse>(new FindServersRequest { EndpointUrl = EndpointUrl }, cancellationToken)).Servers;

    /// <summary>Read (Part 4 §5.10.2): one DataValue per item, each with its own status.</summary>
    public async Task<DataValue[]> ReadAsync(ReadValueId[] nodesToRead, TimestampsToReturn timestamps = TimestampsToReturn.Both, CancellationToken cancellationToken = default) =>
        (await SendAsync<ReadResponse>(new ReadRequest { NodesToRead = nodesToRead, TimestampsToReturn = timestamps }, cancellationToken)).Results;

    /// <summary>Reads one attribute (Value by default) of one node.</summary>
    public async Task<DataValue> ReadAsync(NodeId nodeId, AttributeId attribute = AttributeId.Value, CancellationToken cancellationToken = default) =>
        (await ReadAsync([new ReadValueId { NodeId = nodeId, AttributeId = attribute }], TimestampsToReturn.Both, cancellationToken))[0];

    /// <summary>Write (Part 4 §5.10.4): one status per item.</summary>
    public async Task<StatusCode[]> WriteAsync(WriteValue[] nodesToWrite, CancellationToken cancellationToken = default) =>
        (await SendAsync<WriteResponse>(new WriteRequest { NodesToWrite = nodesToWrite }, cancellationToken)).Results;

    /// <summary>Writes one value and returns its status.</summary>
    public async Task<StatusCode> WriteAsync(NodeId nodeId, Variant value, CancellationToken cancellationToken = default) =>
        (await WriteAsync([new WriteValue { NodeId = nodeId, Value = new DataValue(value) }], cancellationToken))[0];

    /// <summary>Browse (Part 4 §5.8.2).</summary>
    public async Task<BrowseResult[]> BrowseAsync(BrowseDescription[] nodesToBrowse, uint maxReferencesPerNode = 0, CancellationToken cancellationToken = default) =>
        (await SendAsync<BrowseResponse>(new BrowseRequest { NodesToBrowse = nodesToBrowse, RequestedMaxReferencesPerNode = maxReferencesPerNode }, cancellationToken)).Results;

    /// <summary>BrowseNext (Part 4 §5.8.3).</summary>
    public async Task<BrowseResult[]> BrowseNextAsync(byte[][] continuationPoints, bool release = false, CancellationToken cancellationToken = default) =>
        (await SendAsync<BrowseNextResponse>(new BrowseNextRequest { ContinuationPoints = continuationPoints, ReleaseContinuationPoints = release }, cancellationToken)).Results;

    /// <summary>All forward hierarchical references of a node, following continuation points to the end.</summary>
    public async Task<ReferenceDescription[]> BrowseAllAsync(NodeId nodeId, NodeId? referenceTypeId = null, CancellationToken cancellationToken = default)
    {
        var description = new BrowseDescription
        {
            NodeId = nodeId,
            BrowseDirection = BrowseDirection.Forward,
            ReferenceTypeId = referenceTypeId ?? ReferenceTypeIds.HierarchicalReferences,
            IncludeSubtypes = true,
        };
        var result = (await BrowseAsync([description], 0, cancellationToken))[0];
        var all = new List<ReferenceDescription>();
        while (true)
        {
            if (result.StatusCode.IsBad)
            {
                throw new OpcUaException(result.StatusCode, $"Browsing {nodeId} failed.");
            }

            all.AddRange(result.References);
            if (result.ContinuationPoint is not { Length: > 0 } point)
            {
                return [.. all];
            }

            result = (await BrowseNextAsync([point], false, cancellationToken))[0];
        }
    }

    /// <summary>TranslateBrowsePathsToNodeIds (Part 4 §5.8.4).</summary>
    public async Task<BrowsePathResult[]> TranslateBrowsePathsAsync(BrowsePath[] paths, CancellationToken cancellationToken = default) =>
        (await SendAsync<TranslateBrowsePathsToNodeIdsResponse>(new TranslateBrowsePathsToNodeIdsRequest { BrowsePaths = paths }, cancellationToken)).Results;

    /// <summary>RegisterNodes (Part 4 §5.8.5).</summary>
    public async Task<NodeId[]> RegisterNodesAsync(NodeId[] nodes, CancellationToken cancellationToken = default) =>
        (await SendAsync<RegisterNodesResponse>(new RegisterNodesRequest { NodesToRegister = nodes }, cancellationToken)).RegisteredNodeIds;

    /// <summary>UnregisterNodes (Part 4 §5.8.6).</summary>
    public Task UnregisterNodesAsync(NodeId[] nodes, CancellationToken cancellationToken = default) =>
        SendAsync<UnregisterNodesResponse>(new UnregisterNodesRequest { NodesToUnregister = nodes }, cancellationToken);

    /// <summary>Call (Part 4 §5.11.2): one result per method, each with its own status.</summary>
    public async Task<CallMethodResult[]> CallAsync(CallMethodRequest[] methods, CancellationToken cancellationToken = default) =>
        (await SendAsync<CallResponse>(new CallRequest { MethodsToCall = methods }, cancellationToken)).Results;

    /// <summary>Calls one method and returns its outputs; a bad status throws.</summary>
    public async Task<Variant[]> CallAsync(NodeId objectId, NodeId methodId, params Variant[] inputs)
    {
        var result = (await CallAsync([new CallMethodRequest { ObjectId = objectId, MethodId = methodId, InputArguments = inputs }]))[0];
        return result.StatusCode.IsBad ? throw new OpcUaException(result.StatusCode, $"Calling {methodId} on {objectId} failed.") : result.OutputArguments;
    }

    /// <summary>The server's NamespaceArray, read once and cached (pass <paramref name="refresh"/> to read it again).</summary>
    public async Task<string[]> GetNamespacesAsync(bool refresh = false, CancellationToken cancellationToken = default)
    {
        if (refresh || _namespaces is null)
        {
            var value = await ReadAsync(VariableIds.NamespaceArray, AttributeId.Value, cancellationToken);
            _namespaces = value.StatusCode.IsBad ? throw new OpcUaException(value.StatusCode, "NamespaceArray unreadable.") : value.Value.Get<string?[]>().Select(n => n ?? string.Empty).ToArray();
        }

        return _namespaces;
    }

    /// <summary>Turns <c>nsu=uri;s=Name</c> into this server's <c>ns=index;s=Name</c>; BadNodeIdUnknown when the URI is not there.</summary>
    public async Task<NodeId> ResolveAsync(ExpandedNodeId id, CancellationToken cancellationToken = default)
    {
        if (id.NamespaceUri is null)
        {
            return id.NodeId;
        }

        var index = Array.IndexOf(await GetNamespacesAsync(false, cancellationToken), id.NamespaceUri);
        if (index < 0)
        {
            throw new OpcUaException(StatusCodes.BadNodeIdUnknown, $"The server has no namespace {id.NamespaceUri}.");
        }

        var ns = (ushort)index;
        return id.NodeId.IdType switch
        {
            IdType.Numeric => new NodeId(id.NodeId.NumericId, ns),
            IdType.String => new NodeId(id.NodeId.StringId, ns),
            IdType.Guid => new NodeId(id.NodeId.GuidId, ns),
            _ => new NodeId(id.NodeId.OpaqueId, ns),
        };
    }
}
