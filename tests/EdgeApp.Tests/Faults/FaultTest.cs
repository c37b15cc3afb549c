using EdgeApp.Tests.Infrastructure;

namespace EdgeApp.Tests.Faults;

/// <summary>What every fault test starts from: a Redis with AOF on and a scratch directory for module data.</summary>
public abstract class FaultTest : IAsyncLifetime
{
    protected RedisServer Redis { get; private set; } = null!;

    protected string Root { get; } = Directory.CreateTempSubdirectory("edgeapp-fault-").FullName;

    public async Task InitializeAsync() => Redis = await RedisServer.StartAsync(appendOnly: true);

    public async Task DisposeAsync()
    {
        await Redis.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
