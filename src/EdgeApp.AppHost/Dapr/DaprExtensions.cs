using EdgeApp.AppHost.Hosting;
using EdgeApp.AppHost.Redis;

namespace EdgeApp.AppHost.Dapr;

public static class DaprExtensions
{
    /// <summary>Declares the <c>pubsub.redis</c> component every module publishes and subscribes through.</summary>
    public static DaprPubSub AddDaprPubSub(
        this IDistributedApplicationBuilder builder, string name, EdgeRedis redis, EdgeAppHostSettings settings, long maxLenApprox)
    {
        var component = new DaprPubSubComponent(name);
        component.Metadata.Add(new("redisHost", redis.HostAndPort));
        component.Metadata.Add(new("redisPassword", redis.Password ?? ReferenceExpression.Create($"")));
        component.Metadata.Add(new("processingTimeout", ReferenceExpression.Create($"60s")));
        component.Metadata.Add(new("redeliverInterval", ReferenceExpression.Create($"15s")));
        component.Metadata.Add(new("maxLenApprox", ReferenceExpression.Create($"{maxLenApprox.ToString(System.Globalization.CultureInfo.InvariantCulture)}")));

        // One delivery at a time per app keeps each source's order (pubsub.redis hands out 10 in parallel by default).
        component.Metadata.Add(new("concurrency", ReferenceExpression.Create($"1")));

        if (settings.UseDaprSidecars && builder.ExecutionContext.IsPublishMode)
        {
            builder.AddResource(component).WithManifestPublishingCallback(context => DaprManifest.WriteComponent(context, component));
        }

        return new DaprPubSub(builder, component, redis, settings, maxLenApprox);
    }

    /// <summary>
    /// Connects a module to pub/sub: a Dapr sidecar and the Dapr transport when sidecars run, otherwise the
    /// Redis Streams transport with the Redis connection string. The module's code is the same either way.
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithMessaging(this IResourceBuilder<ProjectResource> project, DaprPubSub pubSub)
    {
        project.WithEnvironment("Messaging__PubSubName", pubSub.Component.Name);
        if (!pubSub.UsesSidecars)
        {
            return project
                .WithEnvironment("Messaging__Transport", "RedisStreams")
                .WithEnvironment("Messaging__RedisStreams__MaxLenApprox", pubSub.MaxLenApprox.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .WithReference(pubSub.Redis.Resource)
                .WaitFor(pubSub.Redis.Resource);
        }

        project.WithEnvironment("Messaging__Transport", "Dapr");
        var appId = project.Resource.Name;
        if (pubSub.Builder.ExecutionContext.IsPublishMode)
        {
            var sidecar = new DaprSidecarResource(appId + "-dapr", appId, pubSub.Component);
            pubSub.Builder.AddResource(sidecar).WithManifestPublishingCallback(context => DaprManifest.WriteSidecar(context, sidecar));
            return project;
        }

        return project.WithLocalDaprd(pubSub, appId);
    }
}
