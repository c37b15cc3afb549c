using EdgeApp.AppHost.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeApp.AppHost.Redis;

public static class RedisExtensions
{

    /// <summary>
    /// The broker: the Redis container (always in publish mode, in run mode when a container runtime answers) or a
    /// local redis-server otherwise. Both persist with AOF so acknowledged-but-unconsumed events survive a restart.
    /// </summary>
    public static EdgeRedis AddEdgeRedis(this IDistributedApplicationBuilder builder, string name, EdgeAppHostSettings settings)
    {
        if (settings.UseContainers)
        {
            var container = builder.AddRedis(name)
                .WithDataVolume()
                .WithArgs(context => AppendOnlyFileInContainer(context, settings.RedisAppendFsync));
            var endpoint = container.Resource.PrimaryEndpoint;
            return new EdgeRedis(
                builder.CreateResourceBuilder<IResourceWithConnectionString>(container.Resource),
                ReferenceExpression.Create($"{endpoint.Property(EndpointProperty.Host)}:{endpoint.Property(EndpointProperty.Port)}"),
                container.Resource.PasswordParameter is { } password ? ReferenceExpression.Create($"{password}") : null);
        }

        var dataDirectory = Path.Combine(settings.DataDirectory, name);
        Directory.CreateDirectory(dataDirectory);
        var resource = new RedisServerResource(name, dataDirectory);
        var healthCheckKey = name + "-ping";
        var server = builder.AddResource(resource)
            .WithEndpoint(RedisServerResource.EndpointName, endpoint =>
            {
                endpoint.UriScheme = "tcp";
                endpoint.IsProxied = false;
            })
            .WithArgs(context =>
            {
                context.Args.Add("--port");
                context.Args.Add(resource.PrimaryEndpoint.Property(EndpointProperty.TargetPort));
                context.Args.Add("--bind");
                context.Args.Add("127.0.0.1");
                context.Args.Add("--dir");
                context.Args.Add(dataDirectory);
                foreach (var flag in PersistenceFlags(settings.RedisAppendFsync))
                {
                    context.Args.Add(flag);
                }

                context.Args.Add("--save");
                context.Args.Add(string.Empty);
            })
            .WithHealthCheck(healthCheckKey);
        builder.Services.AddHealthChecks().Add(new Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckRegistration(
            healthCheckKey,
            _ => new RedisPingHealthCheck(resource),
            failureStatus: null,
            tags: null));
        return new EdgeRedis(
            builder.CreateResourceBuilder<IResourceWithConnectionString>(server.Resource),
            resource.ConnectionStringExpression,
            Password: null);
    }

    /// <summary>
    /// The Redis container starts as <c>/bin/sh -c "redis-server ..."</c>, so extra flags belong inside that
    /// command line, not after it.
    /// </summary>
    /// <summary>
    /// AOF persistence: <c>everysec</c> (default) loses at most a second of acknowledged events on a power cut,
    /// <c>always</c> none at the cost of an fsync per write, <c>off</c> keeps Redis in memory only.
    /// </summary>
    internal static string[] PersistenceFlags(string appendFsync) => appendFsync switch
    {
        "off" => ["--appendonly", "no"],
        _ => ["--appendonly", "yes", "--appendfsync", appendFsync],
    };

    private static void AppendOnlyFileInContainer(CommandLineArgsCallbackContext context, string appendFsync)
    {
        for (var i = 0; i < context.Args.Count; i++)
        {
            if (context.Args[i] is string command && command.StartsWith("redis-server", StringComparison.Ordinal))
            {
                context.Args[i] = command + " " + string.Join(' ', PersistenceFlags(appendFsync));
                return;
            }
        }

        throw new InvalidOperationException("The Redis container's command line has changed; cannot enable AOF persistence.");
    }
}

/// <summary>The broker as the rest of the AppHost needs it: a resource to reference, and its address and password for Dapr components.</summary>
public sealed record EdgeRedis(
    IResourceBuilder<IResourceWithConnectionString> Resource,
    ReferenceExpression HostAndPort,
    ReferenceExpression? Password);
