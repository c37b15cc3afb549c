using System.Text.RegularExpressions;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Dapr;

/// <summary>
/// Turns every <c>dapr.component.v0</c> into a valid component spec. CommunityToolkit's generic form
/// (<c>type: pubsub</c> or <c>state</c>, no version, no metadata) becomes the Redis component wired to the
/// manifest's Redis container, with a warning; Redis components get their documented defaults.
/// </summary>
public static partial class DaprComponentNormalizer
{
    private static readonly Dictionary<string, string> GenericToRedis = new(StringComparer.Ordinal)
    {
        ["pubsub"] = "pubsub.redis",
        ["state"] = "state.redis",
    };

    /// <summary>Defaults for pubsub.redis (values from the Dapr component docs; consumerID = the app id).</summary>
    private static readonly KeyValuePair<string, string>[] PubSubRedisDefaults =
    [
        new("consumerID", "{appID}"),
        new("processingTimeout", "60s"),
        new("redeliverInterval", "15s"),
        new("maxLenApprox", "1000000"),
    ];

    public static IReadOnlyList<DaprComponentSpec> Normalize(AspireManifest manifest, GenerationLog log) =>
        manifest.OfType(ResourceTypes.DaprComponentV0).Select(c => Normalize(manifest, c, log)).ToList();

    private static DaprComponentSpec Normalize(AspireManifest manifest, ManifestResource component, GenerationLog log)
    {
        var body = component.GetObject("daprComponent")
            ?? throw new DeployException(component.Name, "daprComponent", "missing");
        var type = component.ReadString(body["type"], "daprComponent.type")
            ?? throw new DeployException(component.Name, "daprComponent.type", "missing");
        var version = component.ReadString(body["version"], "daprComponent.version");
        var metadata = component.GetStringMap("metadata", body).ToList();

        if (GenericToRedis.TryGetValue(type, out var concrete))
        {
            log.Warn(component.Name, $"generic Dapr component type '{type}' has no version or metadata; emitting '{concrete}' v1 wired to the manifest's Redis");
            type = concrete;
            version ??= "v1";
        }
        else if (!type.Contains('.', StringComparison.Ordinal))
        {
            throw new DeployException(component.Name, "daprComponent.type",
                $"'{type}' is not a concrete Dapr component type (e.g. pubsub.redis, state.redis, bindings.kafka)");
        }

        if (string.IsNullOrEmpty(version))
        {
            log.Warn(component.Name, "daprComponent.version is missing; using v1");
            version = "v1";
        }

        if (type is "pubsub.redis" or "state.redis")
        {
            AddRedisConnection(manifest, component, metadata);
        }

        if (type == "pubsub.redis")
        {
            AddMissing(metadata, PubSubRedisDefaults);
        }

        return new DaprComponentSpec(component.Name, type, version, metadata);
    }

    private static void AddRedisConnection(AspireManifest manifest, ManifestResource component, List<KeyValuePair<string, string>> metadata)
    {
        if (metadata.Any(m => m.Key == "redisHost"))
        {
            return;
        }

        var redis = FindRedis(manifest)
            ?? throw new DeployException(component.Name, "daprComponent.metadata.redisHost",
                "missing, and the manifest has no Redis container to wire the component to");
        var binding = redis.Bindings.FirstOrDefault(b => b.Scheme == "redis") ?? redis.Bindings.FirstOrDefault()
            ?? throw new DeployException(redis.Name, "bindings", "the Redis container declares no binding");
        metadata.Insert(0, new("redisHost", $"{{{redis.Name}.bindings.{binding.Name}.host}}:{{{redis.Name}.bindings.{binding.Name}.port}}"));

        if (metadata.All(m => m.Key != "redisPassword") && RedisPasswordTemplate(redis) is { } password)
        {
            metadata.Insert(1, new("redisPassword", password));
        }
    }

    /// <summary>The one container whose image is Redis (<c>docker.io/library/redis:8.6</c>, <c>redis/redis-stack</c>, ...).</summary>
    public static ManifestResource? FindRedis(AspireManifest manifest)
    {
        var candidates = manifest.OfType(ResourceTypes.ContainerV0, ResourceTypes.ContainerV1)
            .Where(c => IsRedisImage(c.Image))
            .ToList();
        return candidates.Count switch
        {
            0 => null,
            1 => candidates[0],
            _ => throw new DeployException(candidates[1].Name, "image",
                $"more than one Redis container ({string.Join(", ", candidates.Select(c => c.Name))}); name the host in the component's metadata"),
        };
    }

    public static bool IsRedisImage(string? image)
    {
        if (string.IsNullOrEmpty(image))
        {
            return false;
        }

        var repository = image.Split('@')[0];
        var lastSlash = repository.LastIndexOf('/');
        var colon = repository.IndexOf(':', lastSlash + 1);
        var name = colon < 0 ? repository[(lastSlash + 1)..] : repository[(lastSlash + 1)..colon];
        return name == "redis" || name.StartsWith("redis-", StringComparison.Ordinal);
    }

    private static string? RedisPasswordTemplate(ManifestResource redis)
    {
        var fromEnv = redis.Env.FirstOrDefault(e => e.Key == "REDIS_PASSWORD").Value;
        if (!string.IsNullOrEmpty(fromEnv))
        {
            return fromEnv;
        }

        var match = PasswordInConnectionString().Match(redis.ConnectionString ?? "");
        return match.Success ? match.Groups["value"].Value : null;
    }

    private static void AddMissing(List<KeyValuePair<string, string>> metadata, IEnumerable<KeyValuePair<string, string>> defaults)
    {
        foreach (var entry in defaults)
        {
            if (metadata.All(m => m.Key != entry.Key))
            {
                metadata.Add(entry);
            }
        }
    }

    [GeneratedRegex(@"password=(?<value>\{[^}]+\})")]
    private static partial Regex PasswordInConnectionString();
}
