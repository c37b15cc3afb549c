using System.Diagnostics;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.ClientServer;

/// <summary>The shape the PLC simulator needs: its namespace, string ids, 100,000 variables under one folder.</summary>
public sealed class PlcScaleTests
{
    [Fact]
    public async Task HundredThousandVariables_AreAddedQuickly_AndBrowsedInPages()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var space = server.Server.AddressSpace;
        var ns = space.RegisterNamespace("http://microsoft.com/Opc/OpcPlc/");
        var folder = space.AddFolder(space.ObjectsFolder, new NodeId("OpcPlc", ns), "OpcPlc");
        var watch = Stopwatch.StartNew();
        var variables = new EdgeApp.OpcUa.Server.AddressSpace.VariableNode<uint>[100_000];
        for (var i = 0; i < variables.Length; i++)
        {
            variables[i] = space.AddVariable(folder, new NodeId($"Fast{i}", ns), $"Fast{i}", (uint)i);
        }

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(20), $"adding took {watch.Elapsed}");

        // Timers update values while a client reads them.
        foreach (var variable in variables.AsSpan(0, 1000))
        {
            variable.Value += 1;
        }

        await using var client = await server.ConnectAsync();
        var id = await client.ResolveAsync(ExpandedNodeId.Parse("nsu=http://microsoft.com/Opc/OpcPlc/;s=Fast999"));
        Assert.Equal(1000u, (await client.ReadAsync(id)).Value.Get<uint>());

        var first = (await client.BrowseAsync([new BrowseDescription { NodeId = folder.NodeId, ReferenceTypeId = ReferenceTypeIds.Organizes }]))[0];
        Assert.Equal(1000, first.References.Length);
        Assert.NotNull(first.ContinuationPoint);
        var all = await client.BrowseAllAsync(folder.NodeId);
        Assert.Equal(100_000, all.Length);
    }
}
