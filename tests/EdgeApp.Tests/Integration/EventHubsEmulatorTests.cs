using System.Diagnostics;
using System.Text.Json;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Azure.Messaging.EventHubs.Consumer;

namespace EdgeApp.Tests.Integration;

/// <summary>
/// Against the real Event Hubs emulator: the AppHost with containers on, sensor telemetry read back from the hub.
/// It needs a container runtime that can pull the emulator and Azurite images; where none answers, the test says
/// so and is reported as skipped (the SDK-level batching tests in Gateway/EventHubsSinkTests run everywhere).
/// </summary>
public sealed class EventHubsEmulatorTests
{
    [SkippableFact]
    public async Task SensorTelemetry_ReachesTheEmulatorHub_PartitionedByMachine()
    {
        Skip.IfNot(ContainerRuntimeAnswers(), "No container runtime answers 'docker info' here; the Event Hubs emulator cannot run.");
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMinutes(8));
        var data = Directory.CreateTempSubdirectory("edgeapp-eh-").FullName;
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.EdgeApp_AppHost>(
            [$"EdgeApp:DataDirectory={data}", "EdgeApp:ContainerRuntime=on", "EdgeApp:Dapr=off", "EdgeApp:Sensor:IntervalMs=200"],
            cancellation.Token);
        await using var app = await builder.BuildAsync(cancellation.Token);
        await app.StartAsync(cancellation.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("eventhubs", cancellation.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("gateway", cancellation.Token);

        var connectionString = await app.GetConnectionStringAsync("eventhubs", cancellation.Token);
        await using var consumer = new EventHubConsumerClient(EventHubConsumerClient.DefaultConsumerGroupName, connectionString, "telemetry");
        var machines = new HashSet<string>();
        await foreach (var partitionEvent in consumer.ReadEventsAsync(startReadingAtEarliestEvent: true, cancellationToken: cancellation.Token))
        {
            using var envelope = JsonDocument.Parse(partitionEvent.Data.EventBody.ToMemory());
            Assert.Equal("application/cloudevents+json", partitionEvent.Data.ContentType);
            Assert.Equal(envelope.RootElement.GetProperty("subject").GetString(), partitionEvent.Data.PartitionKey);
            machines.Add(envelope.RootElement.GetProperty("subject").GetString()!);
            if (machines.Count == 3)
            {
                break;
            }
        }

        Assert.Equal(["machine-01", "machine-02", "machine-03"], machines.Order());
    }

    private static bool ContainerRuntimeAnswers()
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            return process is not null && process.WaitForExit(5000) && process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
