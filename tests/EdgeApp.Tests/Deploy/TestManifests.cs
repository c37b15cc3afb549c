using System.Text.Json.Nodes;
using EdgeApp.Deploy;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Tests.Deploy;

/// <summary>Small manifests for focused tests, in the shape Aspire 13.6 emits.</summary>
internal static class TestManifests
{
    public const string RedisPasswordDefault = "fixture-redis-password-value-0001";

    public static JsonObject Redis() => Parse("""
        {
          "type": "container.v0",
          "connectionString": "{redis.bindings.tcp.host}:{redis.bindings.tcp.port},password={redis-password.value}",
          "image": "docker.io/library/redis:8.6",
          "entrypoint": "/bin/sh",
          "args": ["-c", "redis-server --requirepass $REDIS_PASSWORD"],
          "env": { "REDIS_PASSWORD": "{redis-password.value}" },
          "bindings": { "tcp": { "scheme": "redis", "protocol": "tcp", "transport": "tcp", "targetPort": 6379 } }
        }
        """);

    public static JsonObject RedisPassword() => Parse("""
        {
          "type": "parameter.v0",
          "value": "{redis-password.inputs.value}",
          "inputs": { "value": { "type": "string", "secret": true, "default": { "generate": { "minLength": 22, "special": false } } } }
        }
        """);

    public static JsonObject Project(string name, JsonObject? env = null, bool external = false) => new()
    {
        ["type"] = "project.v0",
        ["path"] = $"../EdgeApp.{char.ToUpperInvariant(name[0])}{name[1..]}/EdgeApp.{char.ToUpperInvariant(name[0])}{name[1..]}.csproj",
        ["env"] = env ?? [],
        ["bindings"] = new JsonObject
        {
            ["http"] = new JsonObject { ["scheme"] = "http", ["protocol"] = "tcp", ["transport"] = "http", ["external"] = external },
            ["https"] = new JsonObject { ["scheme"] = "https", ["protocol"] = "tcp", ["transport"] = "http", ["external"] = external },
        },
    };

    public static JsonObject Sidecar(string app, params string[] components) => new()
    {
        ["type"] = "dapr.v0",
        ["dapr"] = new JsonObject
        {
            ["application"] = app,
            ["appId"] = app,
            ["components"] = new JsonArray(components.Select(c => (JsonNode)JsonValue.Create(c)).ToArray()),
            ["appProtocol"] = "http",
            ["config"] = "tracing",
            ["enableMetrics"] = true,
            ["logAsJson"] = true,
        },
    };

    /// <summary>Redis, its password, and a sensor project using it.</summary>
    public static JsonObject Basic() => new()
    {
        ["redis"] = Redis(),
        ["redis-password"] = RedisPassword(),
        ["sensor"] = Project("sensor", new JsonObject
        {
            ["ConnectionStrings__redis"] = "{redis.connectionString}",
            ["Messaging__Transport"] = "Dapr",
        }),
    };

    public static AspireManifest Manifest(JsonObject resources) =>
        AspireManifest.Parse(new JsonObject { ["resources"] = resources }.ToJsonString());

    public static GenerationResult Generate(JsonObject resources, GeneratorSettings? settings = null) =>
        Generator.Generate(Manifest(resources), settings ?? new GeneratorSettings());

    public static string FileText(this GenerationResult result, string path) =>
        result.Files.SingleOrDefault(f => f.Path == path)?.Content
        ?? throw new Xunit.Sdk.XunitException($"{path} not generated; files: {string.Join(", ", result.Files.Select(f => f.Path))}");

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();
}
