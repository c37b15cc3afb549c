using System.Text.Json.Nodes;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Endpoints;
using EdgeApp.Deploy.Expressions;

namespace EdgeApp.Tests.Deploy;

public sealed class ExpressionResolverTests
{
    private static (ExpressionResolver Resolver, GenerationLog Log) ResolverFor(JsonObject resources, Dictionary<string, string>? parameters = null)
    {
        var manifest = TestManifests.Manifest(resources);
        var log = new GenerationLog();
        return (new ExpressionResolver(manifest, EndpointTable.Build(manifest), parameters ?? [], log), log);
    }

    [Theory]
    [InlineData("{redis.bindings.tcp.host}", "redis")]
    [InlineData("{redis.bindings.tcp.port}", "6379")]
    [InlineData("{redis.bindings.tcp.targetPort}", "6379")]
    [InlineData("{redis.bindings.tcp.url}", "redis://redis:6379")]
    [InlineData("{redis.bindings.tcp.hostAndPort}", "redis:6379")]
    [InlineData("{sensor.bindings.http.url}", "http://sensor:8080")]
    [InlineData("{sensor.bindings.http.targetPort}", "8080")]
    [InlineData("x={sensor.bindings.http.host}:{sensor.bindings.http.port}/y", "x=sensor:8080/y")]
    public void Bindings_ResolveToServiceDnsAndContainerPort(string template, string expected)
    {
        var (resolver, _) = ResolverFor(TestManifests.Basic());

        var value = resolver.Resolve(template, "sensor", "env.X");

        Assert.Equal(expected, value.Text);
        Assert.NotEmpty(value.Uses);
    }

    [Fact]
    public void ConnectionString_IsRebuilt_WithTheSecretAsReference()
    {
        var (resolver, _) = ResolverFor(TestManifests.Basic());

        var value = resolver.Resolve("{redis.connectionString}", "sensor", "env.ConnectionStrings__redis");

        Assert.Equal("redis:6379,password=<secret redis-password/value>", value.ToString());
        var secret = Assert.Single(value.Secrets);
        Assert.Equal(("redis-password", "value"), (secret.SecretName, secret.Key));
        Assert.Single(resolver.SecretsUsed, s => s.Parameter == "redis-password" && s.Generate is not null);
    }

    [Fact]
    public void SecretParameter_IsNeverInlined_EvenWhenAValueIsPassed()
    {
        var resources = TestManifests.Basic();
        resources["redis-password"]!["inputs"]!["value"]!["default"] = new JsonObject { ["value"] = TestManifests.RedisPasswordDefault };
        var (resolver, log) = ResolverFor(resources, new() { ["redis-password"] = "passed-on-command-line" });

        var value = resolver.Resolve("{redis-password.value}", "sensor", "env.REDIS_PASSWORD");

        Assert.NotNull(value.SingleSecret);
        Assert.DoesNotContain(TestManifests.RedisPasswordDefault, value.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("passed-on-command-line", value.ToString(), StringComparison.Ordinal);
        Assert.Contains(log.Warnings, w => w.Contains("redis-password", StringComparison.Ordinal) && w.Contains("ignored", StringComparison.Ordinal));
    }

    [Fact]
    public void PlainParameter_UsesPassedValue_ThenDefault()
    {
        static JsonObject Resources()
        {
            var resources = TestManifests.Basic();
            resources["level"] = JsonNode.Parse("""{"type":"parameter.v0","value":"{level.inputs.value}","inputs":{"value":{"type":"string","default":{"value":"Information"}}}}""");
            return resources;
        }

        Assert.Equal("Information", ResolverFor(Resources()).Resolver.Resolve("{level.value}", "sensor", "env.L").Text);
        Assert.Equal("Debug", ResolverFor(Resources(), new() { ["level"] = "Debug" }).Resolver.Resolve("{level.value}", "sensor", "env.L").Text);
    }

    [Fact]
    public void MissingParameter_FailsNamingParameterResourceAndField()
    {
        var resources = TestManifests.Basic();
        resources["level"] = JsonNode.Parse("""{"type":"parameter.v0","value":"{level.inputs.value}","inputs":{"value":{"type":"string"}}}""");
        var (resolver, _) = ResolverFor(resources);

        var error = Assert.Throws<DeployException>(() => resolver.Resolve("{level.value}", "sensor", "env.Logging__LogLevel__Default"));

        Assert.Equal("level", error.Resource);
        Assert.Contains("--parameter level=VALUE", error.Message, StringComparison.Ordinal);
        Assert.Contains("resource 'sensor', field 'env.Logging__LogLevel__Default'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{nothing.bindings.tcp.host}", "which the manifest does not contain")]
    [InlineData("{redis.bindings.grpc.host}", "has no binding 'grpc'")]
    [InlineData("{redis.bindings.tcp.color}", "bindings have no property 'color'")]
    [InlineData("{redis.outputs.endpoint}", "has no property 'outputs.endpoint'")]
    [InlineData("{sensor.connectionString}", "has no property 'connectionString'")]
    public void UnresolvableExpression_FailsNamingResourceAndField(string template, string why)
    {
        var (resolver, _) = ResolverFor(TestManifests.Basic());

        var error = Assert.Throws<DeployException>(() => resolver.Resolve(template, "sensor", "env.Broken"));

        Assert.Equal("sensor", error.Resource);
        Assert.Equal("env.Broken", error.Field);
        Assert.Contains(why, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SelfReference_FailsInsteadOfLooping()
    {
        var resources = TestManifests.Basic();
        resources["loop"] = JsonNode.Parse("""{"type":"value.v0","connectionString":"a{loop.connectionString}"}""");
        var (resolver, _) = ResolverFor(resources);

        var error = Assert.Throws<DeployException>(() => resolver.Resolve("{loop.connectionString}", "sensor", "env.X"));

        Assert.Contains("refers to itself", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ProjectHttpsBinding_IsOmitted_WithTheReason()
    {
        var (resolver, _) = ResolverFor(TestManifests.Basic());

        var value = resolver.Resolve("{sensor.bindings.https.url}", "gateway", "env.services__sensor__https__0");

        Assert.NotNull(value.OmitReason);
        Assert.Contains("not served in the cluster", value.OmitReason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{appID}")]
    [InlineData("{\"json\": true}")]
    [InlineData("{uuid}-{podName}")]
    public void BracesWithoutAResourcePath_StayLiteral(string template)
    {
        var (resolver, _) = ResolverFor(TestManifests.Basic());

        Assert.Equal(template, resolver.Resolve(template, "pubsub", "daprComponent.metadata.consumerID").Text);
    }

    [Fact]
    public void UriFilter_EncodesText_AndAcceptsAUriSafeGeneratedSecret()
    {
        var resources = TestManifests.Basic();
        resources["encoded"] = JsonNode.Parse("""{"type":"annotated.string","value":"a b/{redis-password.value}","filter":"uri"}""");
        var (resolver, log) = ResolverFor(resources);

        var value = resolver.Resolve("{encoded.value}", "sensor", "env.X");

        Assert.Equal("a%20b%2F<secret redis-password/value>", value.ToString());
        Assert.Empty(log.Warnings);
    }
}
