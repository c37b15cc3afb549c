using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace EdgeApp.Tests.Integration;

/// <summary>
/// One started AppHost for the whole integration collection (a start costs ~25 s): local redis-server, no
/// containers, no Dapr, data in a temporary directory, and a fast sensor.
/// </summary>
public sealed class EdgeAppFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    public const int MachineCount = 4;

    private readonly string dataDirectory = Directory.CreateTempSubdirectory("edgeapp-it-").FullName;

    public DistributedApplication App { get; private set; } = null!;

    public string SinkDirectory => Path.Combine(dataDirectory, "gateway", "sink");

    public async Task InitializeAsync()
    {
        using var cancellation = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EdgeApp_AppHost>(
            [
                $"EdgeApp:DataDirectory={dataDirectory}",
                "EdgeApp:ContainerRuntime=off",
                "EdgeApp:Dapr=off",
                $"EdgeApp:Sensor:MachineCount={MachineCount}",
                "EdgeApp:Sensor:IntervalMs=200",
            ],
            cancellation.Token);
        App = await builder.BuildAsync(cancellation.Token);
        await App.StartAsync(cancellation.Token);
        foreach (var resource in new[] { "redis", "gateway", "sensor" })
        {
            await App.ResourceNotifications.WaitForResourceHealthyAsync(resource, cancellation.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (App is not null)
        {
            await App.StopAsync().WaitAsync(TimeSpan.FromMinutes(1));
            await App.DisposeAsync();
        }

        try
        {
            Directory.Delete(dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // Leftover test data in the temp folder is harmless.
        }
    }
}

[CollectionDefinition(Name)]
public sealed class EdgeAppCollection : ICollectionFixture<EdgeAppFixture>
{
    public const string Name = "EdgeApp AppHost";
}
