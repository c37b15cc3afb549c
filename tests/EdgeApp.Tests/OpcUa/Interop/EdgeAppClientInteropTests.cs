using EdgeApp.OpcUa.Client;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Interop;

/// <summary>Interop (b): the EdgeApp client against a node-opcua server, every step asserted.</summary>
public sealed class EdgeAppClientInteropTests
{
    [Fact]
    public async Task EdgeAppClient_BrowsesReadsWritesAndCalls_OnNodeOpcuaServer()
    {
        await using var peer = await NodeOpcuaServerProcess.StartAsync();
        var options = new ClientOptions { RequestTimeout = TimeSpan.FromSeconds(20) };

        var endpoints = await OpcUaClient.DiscoverEndpointsAsync(peer.EndpointUrl, options);
        Assert.Contains(endpoints, e => e.SecurityMode == MessageSecurityMode.None && e.UserIdentityTokens.Any(t => t.TokenType == UserTokenType.Anonymous));

        await using var client = await OpcUaClient.ConnectAsync(peer.EndpointUrl, options);
        var servers = await client.FindServersAsync();
        Assert.NotEmpty(servers);

        var namespaces = (await client.ReadAsync(VariableIds.NamespaceArray)).Value.Get<string[]>();
        var ns = (ushort)Array.IndexOf(namespaces, peer.NamespaceUri);
        Assert.True(ns > 0, "namespace missing: " + string.Join(", ", namespaces));

        // Browse Objects recursively, following continuation points.
        var variables = new List<NodeId>();
        var seen = new HashSet<NodeId>();
        var queue = new Queue<NodeId>([ObjectIds.ObjectsFolder]);
        while (queue.TryDequeue(out var nodeId))
        {
            if (!seen.Add(nodeId))
            {
                continue;
            }

            foreach (var reference in await client.BrowseAllAsync(nodeId))
            {
                Assert.Equal(0u, reference.NodeId.ServerIndex);
                var target = reference.NodeId.NodeId;
                if (reference.NodeClass == NodeClass.Variable)
                {
                    variables.Add(target);
                }

                if (reference.NodeClass is NodeClass.Object or NodeClass.Variable)
                {
                    queue.Enqueue(target);
                }
            }
        }

        Assert.Contains(new NodeId("Counter", ns), variables);
        Assert.Contains(new NodeId(VariableIds.ServerStatus), variables);

        // Read every variable found.
        var distinct = variables.Distinct().ToArray();
        var values = await client.ReadAsync(distinct.Select(v => new ReadValueId { NodeId = v }).ToArray());
        // node-opcua restricts some certificate-management nodes to encrypted channels: that is an answer, not a failure.
        StatusCode[] restricted = [StatusCodes.BadNotReadable, StatusCodes.BadUserAccessDenied, StatusCodes.BadSecurityModeInsufficient];
        var bad = distinct.Zip(values).Where(p => p.Second.StatusCode.IsBad && !restricted.Contains(p.Second.StatusCode)).ToArray();
        Assert.True(values.Count(v => v.StatusCode.IsGood) > 50, "too few good reads");
        Assert.True(bad.Length == 0, "bad reads: " + string.Join(", ", bad.Select(p => $"{p.First}={p.Second.StatusCode}")));
        var byId = distinct.Zip(values).ToDictionary(p => p.First, p => p.Second.Value);
        Assert.Equal("Hot水", byId[new NodeId("String", ns)].Get<string>());
        Assert.Equal(-32, byId[new NodeId("Int32", ns)].Get<int>());
        Assert.Equal(Guid.Parse("72962B91-FA75-4AE6-8D28-B404DC7DAF63"), byId[new NodeId("Guid", ns)].Get<Guid>());
        Assert.Equal(new DateTime(2024, 5, 6, 7, 8, 9, DateTimeKind.Utc), byId[new NodeId("DateTime", ns)].Get<DateTime>());
        Assert.Equal(new LocalizedText("en", "text"), byId[new NodeId("LocalizedText", ns)].Get<LocalizedText>());
        Assert.IsType<ServerStatusDataType>(byId[new NodeId(VariableIds.ServerStatus)].Get<ExtensionObject>().Body);

        // Write, read back, and a type mismatch.
        Assert.Equal(StatusCodes.Good, await client.WriteAsync(new NodeId("Counter", ns), new Variant(1234)));
        Assert.Equal(1234, (await client.ReadAsync(new NodeId("Counter", ns))).Value.Get<int>());
        Assert.Equal(StatusCodes.Good, await client.WriteAsync(new NodeId("DoubleArray", ns), Variant.FromArray(new[] { 1.5, 2.5 })));
        Assert.Equal(new[] { 1.5, 2.5 }, (await client.ReadAsync(new NodeId("DoubleArray", ns))).Value.Get<double[]>());
        Assert.Equal(StatusCodes.BadTypeMismatch, await client.WriteAsync(new NodeId("Counter", ns), new Variant("x")));

        // Call a method with arguments.
        var outputs = await client.CallAsync(new NodeId("Methods", ns), new NodeId("Add", ns), new Variant(2), new Variant(40));
        Assert.Equal(42, outputs[0].Get<int>());

        // Translate a browse path, register nodes, and an unknown node.
        var path = await client.TranslateBrowsePathsAsync([new BrowsePath
        {
            StartingNode = ObjectIds.ObjectsFolder,
            RelativePath = [new RelativePathElement { TargetName = new QualifiedName(ns, "Interop") }, new RelativePathElement { TargetName = new QualifiedName(ns, "Counter") }],
        }]);
        Assert.Equal(new NodeId("Counter", ns), path[0].Targets[0].TargetId.NodeId);
        Assert.Single(await client.RegisterNodesAsync([new NodeId("Counter", ns)]));
        Assert.Equal(StatusCodes.BadNodeIdUnknown, (await client.ReadAsync(new NodeId("Missing", ns))).StatusCode);
    }
}
