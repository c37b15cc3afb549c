using EdgeApp.AppHost.Dapr;

namespace EdgeApp.Tests.AppHost;

public class DaprComponentYamlTests
{
    [Fact]
    public void Write_ProducesAValidPubSubRedisComponent_WithQuotedValues()
    {
        var yaml = DaprComponentYaml.Write("pubsub", "pubsub.redis", "v1", [new("redisHost", "127.0.0.1:6379"), new("redisPassword", "p\"w:#")]);

        Assert.Equal(
            """
            apiVersion: dapr.io/v1alpha1
            kind: Component
            metadata:
              name: "pubsub"
            spec:
              type: "pubsub.redis"
              version: "v1"
              metadata:
              - name: "redisHost"
                value: "127.0.0.1:6379"
              - name: "redisPassword"
                value: "p\u0022w:#"

            """.ReplaceLineEndings("\n"),
            yaml);
    }
}
