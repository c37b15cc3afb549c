using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.Robustness;

/// <summary>Browse of large folders pages lazily; continuation points of earlier requests are freed for new ones.</summary>
public sealed class BrowsePagingTests
{
    [Fact]
    public async Task LargeFolder_PagesThroughAllChildren_InOrder()
    {
        await using var server = await TestServer.StartAsync(tcp: false);
        var folder = server.Server.AddressSpace.AddFolder(server.TestFolder, server.Id("Big"), "Big");
        for (var i = 0; i < 2500; i++)
        {
            server.Server.AddressSpace.AddVariable(folder, server.Id($"Big{i:0000}"), $"Big{i:0000}", i);
        }

        await using var client = await server.ConnectAsync();
        var description = new BrowseDescription { NodeId = folder.NodeId, BrowseDirection = BrowseDirection.Forward, ReferenceTypeId = ReferenceTypeIds.Organizes };
        var result = (await client.BrowseAsync([description], maxReferencesPerNode: 300))[0];
        var names = new List<string>();
        var pages = 0;
        while (true)
        {
            Assert.True(result.StatusCode.IsGood, result.StatusCode.ToString());
            Assert.InRange(result.References.Length, 1, 300);
            names.AddRange(result.References.Select(r => r.BrowseName.Name!));
            pages++;
            if (result.ContinuationPoint is null)
            {
                break;
            }

            result = (await client.BrowseNextAsync([result.ContinuationPoint]))[0];
        }

        Assert.Equal(9, pages);
        Assert.Equal(Enumerable.Range(0, 2500).Select(i => $"Big{i:0000}"), names);
    }

    [Fact]
    public async Task ContinuationPointsOfEarlierRequests_AreFreedForANewOne()
    {
        await using var server = await TestServer.StartAsync(false, new ServerOptions { Limits = new ServerLimits { MaxBrowseContinuationPoints = 2 } });
        await using var client = await server.ConnectAsync();
        var description = new BrowseDescription { NodeId = server.Id("Many") };
        var first = (await client.BrowseAsync([description], maxReferencesPerNode: 5))[0];
        var second = (await client.BrowseAsync([description], maxReferencesPerNode: 5))[0];
        var third = (await client.BrowseAsync([description], maxReferencesPerNode: 5))[0];
        Assert.NotNull(third.ContinuationPoint);

        // The oldest was freed; the newer ones still work.
        Assert.Equal(StatusCodes.BadContinuationPointInvalid, (await client.BrowseNextAsync([first.ContinuationPoint!]))[0].StatusCode);
        Assert.Equal(5, (await client.BrowseNextAsync([second.ContinuationPoint!]))[0].References.Length);
        Assert.Equal(5, (await client.BrowseNextAsync([third.ContinuationPoint!]))[0].References.Length);
    }

    [Fact]
    public async Task OneResponse_CarriesAtMostMaxReferencesPerBrowse()
    {
        await using var server = await TestServer.StartAsync(false, new ServerOptions { Limits = new ServerLimits { MaxReferencesPerBrowse = 30 } });
        await using var client = await server.ConnectAsync();
        var description = new BrowseDescription { NodeId = server.Id("Many"), BrowseDirection = BrowseDirection.Forward, ReferenceTypeId = ReferenceTypeIds.Organizes };
        var results = await client.BrowseAsync([description, description], maxReferencesPerNode: 1000);
        Assert.Equal(25, results[0].References.Length);
        Assert.Equal(5, results[1].References.Length);
        Assert.NotNull(results[1].ContinuationPoint);
        var rest = (await client.BrowseNextAsync([results[1].ContinuationPoint!]))[0];
        Assert.Equal(20, rest.References.Length);
        Assert.Null(rest.ContinuationPoint);
    }
}
