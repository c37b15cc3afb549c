using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Tests.OpcUa.ClientServer;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task ManyClients_WithConcurrentRequests_AllGetTheirOwnAnswers()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        var clients = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => server.ConnectAsync()));
        try
        {
            var work = clients.SelectMany((client, c) => Enumerable.Range(0, 10).Select(async i =>
            {
                var a = c * 100 + i;
                var sum = await client.CallAsync(server.Id("Methods"), server.Id("Add"), new Variant(a), new Variant(1));
                Assert.Equal(a + 1, sum[0].Get<int>());
                var values = await client.ReadAsync(Enumerable.Range(0, 25).Select(k => new ReadValueId { NodeId = server.Id($"Many{k:00}") }).ToArray());
                Assert.Equal(Enumerable.Range(0, 25), values.Select(v => v.Value.Get<int>()));
            }));
            await Task.WhenAll(work);
            Assert.Equal(8, server.Server.Sessions.Count);
        }
        finally
        {
            foreach (var client in clients)
            {
                await client.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task ConnectionsBeyondTheLimit_GetAnError()
    {
        await using var server = await TestServer.StartAsync(true, new ServerOptions { Limits = new ServerLimits { MaxConnections = 1 } });
        await using var client = await server.ConnectAsync();
        await using var raw = await RawConnection.ConnectAsync(server);
        await raw.ExpectErrorAndCloseAsync(StatusCodes.BadTcpNotEnoughResources);
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }
}
