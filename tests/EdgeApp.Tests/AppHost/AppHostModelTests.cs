using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using System.Text.Json;
using EdgeApp.AppHost.Dapr;
using EdgeApp.AppHost.EventHubs;
using EdgeApp.AppHost.Redis;

namespace EdgeApp.Tests.AppHost;

/// <summary>What the AppHost composes for each machine situation, checked on the model without starting it.</summary>
public class AppHostModelTests
{
    [Fact]
    public async Task WithoutContainersOrDapr_RedisIsALocalServer_AndModulesUseRedisStreams()
    {
        await using var builder = await CreateAsync("EdgeApp:ContainerRuntime=off", "EdgeApp:Dapr=off");

        Assert.IsType<RedisServerResource>(builder.Resources.Single(r => r.Name == "redis"));
        Assert.DoesNotContain(builder.Resources, r => r is DaprdResource or DaprSidecarResource or DaprPubSubComponent);
        foreach (var module in new[] { "gateway", "sensor" })
        {
            var env = await EnvironmentOf(builder, module);
            Assert.Equal("RedisStreams", env["Messaging__Transport"]);
            Assert.True(env.ContainsKey("ConnectionStrings__redis"), $"{module} gets the Redis connection string");
        }
    }

    [Fact]
    public async Task WithDapr_EveryModuleGetsADaprdSidecar_AndTheDaprTransport()
    {
        await using var builder = await CreateAsync("EdgeApp:ContainerRuntime=off", "EdgeApp:Dapr=on");

        foreach (var module in new[] { "gateway", "sensor" })
        {
            var sidecar = Assert.IsType<DaprdResource>(builder.Resources.Single(r => r.Name == module + "-dapr"));
            Assert.Equal("daprd", sidecar.Command);
            var env = await EnvironmentOf(builder, module);
            Assert.Equal("Dapr", env["Messaging__Transport"]);
            Assert.Equal("pubsub", env["Messaging__PubSubName"]);
            Assert.False(env.ContainsKey("ConnectionStrings__redis"), "with a sidecar the module does not talk to Redis itself");
        }
    }

    [Fact]
    public async Task WithContainers_TheEventHubsEmulatorRunsWithAzurite_AndTheGatewaySendsToIt()
    {
        var data = NewDataDirectory();
        await using var builder = await CreateInAsync(data, "EdgeApp:ContainerRuntime=on", "EdgeApp:Dapr=off");

        var emulator = Assert.IsType<EventHubsEmulatorResource>(builder.Resources.Single(r => r.Name == "eventhubs"));
        Assert.Contains(builder.Resources, r => r.Name == "eventhubs-storage" && r is ContainerResource);
        var env = await EnvironmentOf(builder, "gateway");
        Assert.True(env.ContainsKey("ConnectionStrings__eventhubs"));
        Assert.Equal("EventHubs", env["Gateway__Sinks__eventhubs__Type"]);
        Assert.Equal("telemetry", env["Gateway__Sinks__eventhubs__EventHubName"]);
        Assert.Equal("eventhubs", env["Gateway__Routes__0__Sinks__1"]);
        Assert.Contains("UseDevelopmentEmulator=true", emulator.ConnectionStringExpression.ValueExpression);
        using var config = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(data, "eventhubs", "Config.json")));
        var hub = config.RootElement.GetProperty("UserConfig").GetProperty("NamespaceConfig")[0].GetProperty("Entities")[0];
        Assert.Equal("telemetry", hub.GetProperty("Name").GetString());
    }

    [Fact]
    public async Task WithoutContainers_ThereIsNoEventHubs_AndTheGatewayKeepsToItsFileSink()
    {
        await using var builder = await CreateAsync("EdgeApp:ContainerRuntime=off", "EdgeApp:Dapr=off");

        Assert.DoesNotContain(builder.Resources, r => r.Name.StartsWith("eventhubs", StringComparison.Ordinal));
        var env = await EnvironmentOf(builder, "gateway");
        Assert.False(env.ContainsKey("Gateway__Sinks__eventhubs__Type"));
    }

    [Theory]
    [InlineData("always", "--appendonly yes --appendfsync always")]
    [InlineData("off", "--appendonly no")]
    public async Task RedisPersistence_FollowsTheSetting(string setting, string expected)
    {
        await using var builder = await CreateAsync("EdgeApp:ContainerRuntime=off", "EdgeApp:Dapr=off", $"EdgeApp:Redis:AppendFsync={setting}");

        var redis = builder.Resources.Single(r => r.Name == "redis");
        var context = new CommandLineArgsCallbackContext([], redis);
        foreach (var callback in redis.Annotations.OfType<CommandLineArgsCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        Assert.Contains(expected, string.Join(' ', context.Args.OfType<string>()));
    }

    [Fact]
    public async Task InvalidSetting_FailsWithTheKeyInTheMessage()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await CreateAsync("EdgeApp:Dapr=maybe"));

        Assert.Contains("EdgeApp:Dapr must be 'auto', 'on' or 'off'", error.ToString());
    }

    private static Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args) =>
        CreateInAsync(NewDataDirectory(), args);

    private static async Task<IDistributedApplicationTestingBuilder> CreateInAsync(string data, params string[] args) =>
        await DistributedApplicationTestingBuilder.CreateAsync<Projects.EdgeApp_AppHost>([.. args, $"EdgeApp:DataDirectory={data}"]);

    private static string NewDataDirectory() => Path.Combine(Path.GetTempPath(), "edgeapp-model-" + Guid.NewGuid().ToString("N"));

    private static async Task<Dictionary<string, string>> EnvironmentOf(IDistributedApplicationTestingBuilder builder, string name)
    {
        var resource = (IResourceWithEnvironment)builder.Resources.Single(r => r.Name == name);
        var context = new EnvironmentCallbackContext(new DistributedApplicationExecutionContext(DistributedApplicationOperation.Run));
        foreach (var callback in resource.Annotations.OfType<EnvironmentCallbackAnnotation>())
        {
            await callback.Callback(context);
        }

        return context.EnvironmentVariables.ToDictionary(kv => kv.Key, kv => kv.Value?.ToString() ?? string.Empty);
    }
}
