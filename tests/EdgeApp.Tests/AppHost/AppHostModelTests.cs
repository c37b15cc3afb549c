using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using EdgeApp.AppHost.Dapr;
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
    public async Task InvalidSetting_FailsWithTheKeyInTheMessage()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await CreateAsync("EdgeApp:Dapr=maybe"));

        Assert.Contains("EdgeApp:Dapr must be 'auto', 'on' or 'off'", error.ToString());
    }

    private static async Task<IDistributedApplicationTestingBuilder> CreateAsync(params string[] args)
    {
        var data = Path.Combine(Path.GetTempPath(), "edgeapp-model-" + Guid.NewGuid().ToString("N"));
        return await DistributedApplicationTestingBuilder.CreateAsync<Projects.EdgeApp_AppHost>(
            [.. args, $"EdgeApp:DataDirectory={data}"]);
    }

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
