using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.Tests.OpcUa.ClientServer;

public sealed class SmokeTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Connect_ReadsServerState(bool tcp)
    {
        await using var server = await TestServer.StartAsync(tcp);
        await using var client = await server.ConnectAsync();
        var state = await client.ReadAsync(VariableIds.ServerStatusState);
        Assert.Equal(StatusCodes.Good, state.StatusCode);
        Assert.Equal(0, state.Value.Get<int>());
    }
}
