using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.ClientServer;

/// <summary>Browse, BrowseNext, TranslateBrowsePathsToNodeIds, RegisterNodes/UnregisterNodes.</summary>
public sealed class ViewServiceTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Browse_Objects_FindsServerAndTestFolder(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var references = await client.BrowseAllAsync(ObjectIds.ObjectsFolder);
        var server0 = Assert.Single(references, r => r.NodeId.NodeId == new NodeId(ObjectIds.Server));
        Assert.Equal(NodeClass.Object, server0.NodeClass);
        Assert.Equal(new NodeId(ObjectTypeIds.ServerType), server0.TypeDefinition.NodeId);
        Assert.Equal(new NodeId(ReferenceTypeIds.Organizes), server0.ReferenceTypeId);
        Assert.True(server0.IsForward);
        Assert.Contains(references, r => r.BrowseName == new QualifiedName(server.Ns, "Test"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Browse_FiltersByDirectionTypeAndNodeClass(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var results = await client.BrowseAsync(
        [
            new BrowseDescription { NodeId = server.Id("Int32"), BrowseDirection = BrowseDirection.Inverse, ReferenceTypeId = ReferenceTypeIds.HierarchicalReferences },
            new BrowseDescription { NodeId = ObjectIds.Server, BrowseDirection = BrowseDirection.Forward, ReferenceTypeId = ReferenceTypeIds.HasProperty, IncludeSubtypes = false },
            new BrowseDescription { NodeId = server.Id("Methods"), NodeClassMask = (uint)NodeClass.Method },
            new BrowseDescription { NodeId = server.Id("Missing") },
            new BrowseDescription { NodeId = ObjectIds.ObjectsFolder, ReferenceTypeId = server.Id("NotAType") },
            new BrowseDescription { NodeId = ObjectIds.ObjectsFolder, BrowseDirection = (BrowseDirection)7 },
            new BrowseDescription { NodeId = ObjectIds.ObjectsFolder, ResultMask = BrowseResultMask.None },
        ]);
        Assert.Equal(new NodeId("Scalars", server.Ns), Assert.Single(results[0].References).NodeId.NodeId);
        Assert.Contains(results[1].References, r => r.BrowseName.Name == "NamespaceArray");
        Assert.DoesNotContain(results[1].References, r => r.BrowseName.Name == "ServerStatus");
        Assert.Equal(3, results[2].References.Length);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, results[3].StatusCode);
        Assert.Equal(StatusCodes.BadReferenceTypeIdInvalid, results[4].StatusCode);
        Assert.Equal(StatusCodes.BadBrowseDirectionInvalid, results[5].StatusCode);
        Assert.All(results[6].References, r => Assert.True(r.BrowseName.IsNull && r.ReferenceTypeId.IsNull));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task BrowseNext_PagesThroughContinuationPoints(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var description = new BrowseDescription { NodeId = server.Id("Many"), ReferenceTypeId = ReferenceTypeIds.Organizes };
        var first = (await client.BrowseAsync([description], maxReferencesPerNode: 10))[0];
        Assert.Equal(10, first.References.Length);
        Assert.NotNull(first.ContinuationPoint);
        var second = (await client.BrowseNextAsync([first.ContinuationPoint!]))[0];
        var third = (await client.BrowseNextAsync([second.ContinuationPoint!]))[0];
        Assert.Equal(5, third.References.Length);
        Assert.Null(third.ContinuationPoint);
        var names = first.References.Concat(second.References).Concat(third.References).Select(r => r.BrowseName.Name).ToArray();
        Assert.Equal(Enumerable.Range(0, 25).Select(i => $"Many{i:00}"), names);

        // A used continuation point is gone; releasing returns nothing.
        Assert.Equal(StatusCodes.BadContinuationPointInvalid, (await client.BrowseNextAsync([first.ContinuationPoint!]))[0].StatusCode);
        var again = (await client.BrowseAsync([description], maxReferencesPerNode: 10))[0];
        var released = (await client.BrowseNextAsync([again.ContinuationPoint!], release: true))[0];
        Assert.Empty(released.References);
    }

    [Fact]
    public async Task Browse_RunsOutOfContinuationPoints()
    {
        await using var server = await TestServer.StartAsync(false, new ServerOptions { Limits = new ServerLimits { MaxBrowseContinuationPoints = 2 } });
        await using var client = await server.ConnectAsync();
        var description = new BrowseDescription { NodeId = server.Id("Many") };
        var results = await client.BrowseAsync([description, description, description], maxReferencesPerNode: 5);
        Assert.NotNull(results[0].ContinuationPoint);
        Assert.NotNull(results[1].ContinuationPoint);
        Assert.Equal(StatusCodes.BadNoContinuationPoints, results[2].StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task TranslateBrowsePaths_ResolvesAndReportsNoMatch(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        RelativePathElement Step(string name, ushort ns = 0) => new() { TargetName = new QualifiedName(ns, name) };
        var results = await client.TranslateBrowsePathsAsync(
        [
            new BrowsePath { StartingNode = ObjectIds.RootFolder, RelativePath = [Step("Objects"), Step("Server"), Step("ServerStatus"), Step("State")] },
            new BrowsePath { StartingNode = ObjectIds.ObjectsFolder, RelativePath = [Step("Test", server.Ns), Step("Scalars", server.Ns), Step("Double", server.Ns)] },
            new BrowsePath { StartingNode = ObjectIds.ObjectsFolder, RelativePath = [Step("Nope", server.Ns)] },
            new BrowsePath { StartingNode = server.Id("Missing"), RelativePath = [Step("x")] },
            new BrowsePath { StartingNode = ObjectIds.ObjectsFolder, RelativePath = [] },
            new BrowsePath { StartingNode = ObjectIds.ObjectsFolder, RelativePath = [new RelativePathElement()] },
        ]);
        Assert.Equal(new NodeId(VariableIds.ServerStatusState), results[0].Targets[0].TargetId.NodeId);
        Assert.Equal(uint.MaxValue, results[0].Targets[0].RemainingPathIndex);
        Assert.Equal(server.Id("Double"), results[1].Targets[0].TargetId.NodeId);
        Assert.Equal(StatusCodes.BadNoMatch, results[2].StatusCode);
        Assert.Equal(StatusCodes.BadNodeIdUnknown, results[3].StatusCode);
        Assert.Equal(StatusCodes.BadNothingToDo, results[4].StatusCode);
        Assert.Equal(StatusCodes.BadBrowseNameInvalid, results[5].StatusCode);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RegisterNodes_ReturnsUsableIds(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var registered = await client.RegisterNodesAsync([server.Id("Double"), server.Id("Int32")]);
        Assert.Equal(2, registered.Length);
        var values = await client.ReadAsync(registered.Select(id => new ReadValueId { NodeId = id }).ToArray());
        Assert.Equal(Math.PI, values[0].Value.Get<double>());
        await client.UnregisterNodesAsync(registered);
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.RegisterNodesAsync([]));
        Assert.Equal(StatusCodes.BadNothingToDo, ex.StatusCode);
    }

    [Fact]
    public async Task Namespace0_HasTheNodesGenericClientsRead()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        uint[] ids = [VariableIds.NamespaceArray, VariableIds.ServerArray, VariableIds.ServerStatus, VariableIds.ServerStatusCurrentTime,
            VariableIds.BuildInfoProductName, VariableIds.MaxNodesPerRead, VariableIds.MaxBrowseContinuationPoints, VariableIds.ServiceLevel];
        var values = await client.ReadAsync(ids.Select(id => new ReadValueId { NodeId = id }).ToArray());
        Assert.All(values, v => Assert.Equal(StatusCodes.Good, v.StatusCode));
        Assert.Equal(["http://opcfoundation.org/UA/", "urn:edgeapp:opcua:server", TestServer.Namespace], values[0].Value.Get<string[]>());
        Assert.Equal(ServerState.Running, values[2].Value.Get<ExtensionObject>().As<ServerStatusDataType>()!.State);
        Assert.Equal(10_000u, values[5].Value.Get<uint>());

        // The reference type hierarchy is browsable from Types/ReferenceTypes.
        var hierarchical = await client.BrowseAllAsync(ReferenceTypeIds.HierarchicalReferences, ReferenceTypeIds.HasSubtype);
        Assert.Contains(hierarchical, r => r.BrowseName.Name == "Organizes");
        var dataTypes = await client.BrowseAllAsync(DataTypeIds.BaseDataType, ReferenceTypeIds.HasSubtype);
        Assert.Contains(dataTypes, r => r.BrowseName.Name == "Structure");
    }

    [Fact]
    public async Task Resolve_NamespaceUriForm_ToServerIndex()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        await using var client = await server.ConnectAsync();
        var id = await client.ResolveAsync(ExpandedNodeId.Parse($"nsu={TestServer.Namespace};s=Double"));
        Assert.Equal(server.Id("Double"), id);
        Assert.Equal(Math.PI, (await client.ReadAsync(id)).Value.Get<double>());
        var ex = await Assert.ThrowsAsync<OpcUaException>(() => client.ResolveAsync(ExpandedNodeId.Parse("nsu=urn:nowhere;s=x")));
        Assert.Equal(StatusCodes.BadNodeIdUnknown, ex.StatusCode);
    }
}
