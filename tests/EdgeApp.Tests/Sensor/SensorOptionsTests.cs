using EdgeApp.Messaging;
using EdgeApp.Sensor.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeApp.Tests.Sensor;

public class SensorOptionsTests
{
    [Theory]
    [InlineData("Sensor:IntervalMs", "0", "Sensor:IntervalMs must be between 1 and 3600000")]
    [InlineData("Sensor:MachineCount", "0", "Sensor:MachineCount must be between 1 and 100000")]
    [InlineData("Sensor:Topic", "bad topic", "Sensor:Topic 'bad topic' is not a valid topic name")]
    [InlineData("Sensor:Topic", "", "Sensor:Topic must be set")]
    [InlineData("Messaging:RedisStreams:QueueDepth", "0", "QueueDepth")]
    [InlineData("Messaging:AppId", "Not_Valid", "Messaging:AppId must be a lowercase DNS-style name")]
    [InlineData("Messaging:Transport", "Carrier", "Messaging:Transport")]
    public async Task InvalidOption_FailsTheStart_NamingTheOption(string key, string value, string expected)
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => StartSensorAsync(new() { [key] = value }));

        Assert.Contains(expected, error.Message);
    }

    [Fact]
    public async Task MissingRedisConnectionString_FailsTheStart_NamingIt()
    {
        var error = await Assert.ThrowsAsync<OptionsValidationException>(() => StartSensorAsync(new() { ["ConnectionStrings:redis"] = null }));

        Assert.Contains("ConnectionStrings:redis", error.Message);
    }

    private static async Task StartSensorAsync(Dictionary<string, string?> overrides)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Logging.ClearProviders();
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:redis"] = "127.0.0.1:1",
            ["Messaging:AppId"] = "sensor",
        };
        foreach (var (key, value) in overrides)
        {
            settings[key] = value;
        }

        builder.Configuration.AddInMemoryCollection(settings);
        builder.AddMessaging();
        builder.AddSensor();
        using var host = builder.Build();
        await host.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));
        await host.StopAsync();
    }
}
