using System.Text.Json.Nodes;
using EdgeApp.Deploy;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Kubernetes.CustomResources;
using k8s;
using k8s.Models;

namespace EdgeApp.Tests.Deploy;

public sealed class GeneratorTests
{
    private static T Load<T>(GenerationResult result, string path) => KubernetesYaml.Deserialize<T>(result.FileText(path), strict: true);

    [Fact]
    public void UnknownResourceType_IsSkippedWithAWarning()
    {
        var resources = TestManifests.Basic();
        resources["storage"] = JsonNode.Parse("""{"type":"azure.bicep.v0","path":"storage.module.bicep"}""");

        var result = TestManifests.Generate(resources);

        Assert.Contains("resource 'storage': unknown resource type 'azure.bicep.v0'; skipped", result.Warnings);
        Assert.DoesNotContain(result.Files, f => f.Path.Contains("storage", StringComparison.Ordinal));
    }

    [Fact]
    public void ExecutableResource_IsSkippedWithAWarning()
    {
        var resources = TestManifests.Basic();
        resources["redis-server"] = JsonNode.Parse("""{"type":"executable.v0","command":"redis-server","workingDirectory":"."}""");

        var result = TestManifests.Generate(resources);

        Assert.Contains(result.Warnings, w => w.StartsWith("resource 'redis-server': executable.v0", StringComparison.Ordinal));
    }

    [Fact]
    public void ToolkitGenericPubSub_BecomesPubSubRedisV1_WiredToTheManifestsRedis()
    {
        var resources = TestManifests.Basic();
        resources["pubsub"] = JsonNode.Parse("""{"type":"dapr.component.v0","daprComponent":{"type":"pubsub"}}""");
        resources["sensor-dapr"] = TestManifests.Sidecar("sensor", "pubsub");

        var result = TestManifests.Generate(resources);
        var component = Load<DaprComponent>(result, "base/dapr/component-pubsub.yaml");

        Assert.Contains(result.Warnings, w => w.StartsWith("resource 'pubsub': generic Dapr component type 'pubsub'", StringComparison.Ordinal));
        Assert.Equal(("pubsub.redis", "v1"), (component.Spec.Type, component.Spec.Version));
        var metadata = component.Spec.Metadata.ToDictionary(m => m.Name);
        Assert.Equal("redis:6379", metadata["redisHost"].Value);
        Assert.Equal("redis-password", metadata["redisPassword"].SecretKeyRef?.Name);
        Assert.Equal("{appID}", metadata["consumerID"].Value);
        Assert.Equal(["sensor"], component.Scopes);
    }

    [Fact]
    public void ToolkitGenericStateStore_BecomesStateRedis()
    {
        var resources = TestManifests.Basic();
        resources["statestore"] = JsonNode.Parse("""{"type":"dapr.component.v0","daprComponent":{"type":"state"}}""");
        resources["sensor-dapr"] = TestManifests.Sidecar("sensor", "statestore");

        var component = Load<DaprComponent>(TestManifests.Generate(resources), "base/dapr/component-statestore.yaml");

        Assert.Equal("state.redis", component.Spec.Type);
        Assert.Contains(component.Spec.Metadata, m => m.Name == "redisHost" && m.Value == "redis:6379");
    }

    [Fact]
    public void GenericPubSub_WithoutRedis_FailsNamingTheComponent()
    {
        var resources = new JsonObject
        {
            ["sensor"] = TestManifests.Project("sensor"),
            ["pubsub"] = JsonNode.Parse("""{"type":"dapr.component.v0","daprComponent":{"type":"pubsub"}}"""),
        };

        var error = Assert.Throws<DeployException>(() => TestManifests.Generate(resources));

        Assert.Equal(("pubsub", "daprComponent.metadata.redisHost"), (error.Resource, error.Field));
    }

    [Fact]
    public void DaprMetadata_MixingTextAndSecret_Fails()
    {
        var resources = TestManifests.Basic();
        resources["pubsub"] = JsonNode.Parse("""{"type":"dapr.component.v0","daprComponent":{"type":"pubsub.redis","version":"v1","metadata":{"redisHost":"{redis.bindings.tcp.host}:{redis.bindings.tcp.port}","redisPassword":"x{redis-password.value}"}}}""");

        var error = Assert.Throws<DeployException>(() => TestManifests.Generate(resources));

        Assert.Equal(("pubsub", "daprComponent.metadata.redisPassword"), (error.Resource, error.Field));
    }

    [Fact]
    public void DaprSidecar_AnnotatesThePodTemplate_WithTheHttpPortWhenAppPortIsAbsent()
    {
        var resources = TestManifests.Basic();
        resources["sensor-dapr"] = TestManifests.Sidecar("sensor");

        var deployment = Load<V1Deployment>(TestManifests.Generate(resources), "base/sensor/deployment.yaml");

        Assert.Null(deployment.Metadata.Annotations);
        var annotations = deployment.Spec.Template.Metadata.Annotations;
        Assert.Equal("true", annotations["dapr.io/enabled"]);
        Assert.Equal("sensor", annotations["dapr.io/app-id"]);
        Assert.Equal("8080", annotations["dapr.io/app-port"]);
        Assert.Equal("http", annotations["dapr.io/app-protocol"]);
        Assert.Equal("tracing", annotations["dapr.io/config"]);
        Assert.Equal("true", annotations["dapr.io/enable-metrics"]);
        Assert.Equal("true", annotations["dapr.io/log-as-json"]);
    }

    [Fact]
    public void DaprSidecar_ForAMissingApplication_FailsNamingTheField()
    {
        var resources = TestManifests.Basic();
        resources["ghost-dapr"] = TestManifests.Sidecar("ghost");

        var error = Assert.Throws<DeployException>(() => TestManifests.Generate(resources));

        Assert.Equal(("ghost-dapr", "dapr.application"), (error.Resource, error.Field));
    }

    [Fact]
    public void ConnectionStringWithSecret_IsRebuiltFromSecretBackedVariables()
    {
        var result = TestManifests.Generate(TestManifests.Basic());
        var container = Load<V1Deployment>(result, "base/sensor/deployment.yaml").Spec.Template.Spec.Containers.Single();
        var configMap = Load<V1ConfigMap>(result, "base/sensor/configmap.yaml");

        var helper = container.Env[0];
        Assert.Equal("redis-password", helper.ValueFrom.SecretKeyRef.Name);
        Assert.Equal("value", helper.ValueFrom.SecretKeyRef.Key);
        Assert.Equal($"redis:6379,password=$({helper.Name})", container.Env.Single(e => e.Name == "ConnectionStrings__redis").Value);
        Assert.Equal("Dapr", configMap.Data["Messaging__Transport"]);
        Assert.False(configMap.Data.ContainsKey("ConnectionStrings__redis"));
        Assert.Equal("sensor-env", container.EnvFrom.Single().ConfigMapRef.Name);
    }

    [Fact]
    public void LiteralDollarParenthesis_IsEscaped_WhereKubernetesWouldExpandIt()
    {
        var resources = TestManifests.Basic();
        resources["sensor"]!["env"]!["Mixed"] = "$(NOT_A_VAR)/{redis-password.value}";

        var container = Load<V1Deployment>(TestManifests.Generate(resources), "base/sensor/deployment.yaml").Spec.Template.Spec.Containers.Single();

        Assert.StartsWith("$$(NOT_A_VAR)/$(EDGEAPP_SECRET_", container.Env.Single(e => e.Name == "Mixed").Value, StringComparison.Ordinal);
    }

    [Fact]
    public void SecretValues_NeverReachAnyGeneratedFile()
    {
        var resources = TestManifests.Basic();
        resources["redis-password"]!["inputs"]!["value"]!["default"] = new JsonObject { ["value"] = TestManifests.RedisPasswordDefault };
        resources["eventhubs"] = JsonNode.Parse("""{"type":"parameter.v0","value":"{eventhubs.inputs.value}","inputs":{"value":{"type":"string","secret":true}}}""");
        resources["sensor"]!["env"]!["ConnectionStrings__eventhubs"] = "{eventhubs.value}";
        const string EventHubsValue = "Endpoint=sb://leak.servicebus.windows.net/;SharedAccessKey=c2VjcmV0";

        var result = TestManifests.Generate(resources, new GeneratorSettings { Parameters = new Dictionary<string, string> { ["eventhubs"] = EventHubsValue } });

        Assert.All(result.Files, f =>
        {
            Assert.DoesNotContain(TestManifests.RedisPasswordDefault, f.Content, StringComparison.Ordinal);
            Assert.DoesNotContain("SharedAccessKey", f.Content, StringComparison.Ordinal);
            Assert.DoesNotContain("kind: Secret\n", f.Content, StringComparison.Ordinal);
        });
        var script = result.FileText("secrets/create-secrets.sh");
        Assert.Contains("exists eventhubs || create eventhubs \"${EVENTHUBS:?", script, StringComparison.Ordinal);
        Assert.Contains("exists redis-password || create redis-password \"${REDIS_PASSWORD:?", script, StringComparison.Ordinal);
        Assert.Contains("exists redis-password || create redis-password \"$(random_value 32 'a-zA-Z0-9')\"", TestManifests.Generate(TestManifests.Basic()).FileText("secrets/create-secrets.sh"), StringComparison.Ordinal);
    }

    [Fact]
    public void Redis_IsAStatefulSet_WithAppendOnlyFileOnAPersistentVolume()
    {
        var result = TestManifests.Generate(TestManifests.Basic());
        var statefulSet = Load<V1StatefulSet>(result, "base/redis/statefulset.yaml");
        var container = statefulSet.Spec.Template.Spec.Containers.Single();

        Assert.Equal(["/bin/sh"], container.Command);
        Assert.Equal(["-c", "redis-server --requirepass $REDIS_PASSWORD --appendonly yes"], container.Args);
        Assert.Equal("redis-password", container.Env.Single(e => e.Name == "REDIS_PASSWORD").ValueFrom.SecretKeyRef.Name);
        var claim = Assert.Single(statefulSet.Spec.VolumeClaimTemplates);
        Assert.Contains(container.VolumeMounts, m => m.Name == claim.Metadata.Name && m.MountPath == "/data");
        Assert.Equal("redis-headless", statefulSet.Spec.ServiceName);
        Assert.Equal("None", Load<V1Service>(result, "base/redis/service-redis-headless.yaml").Spec.ClusterIP);
        Assert.Equal(6379, Load<V1Service>(result, "base/redis/service-redis.yaml").Spec.Ports.Single().Port);
        Assert.Equal(999, statefulSet.Spec.Template.Spec.SecurityContext.RunAsUser);
    }

    [Fact]
    public void ProjectWritingUnderData_GetsAPersistentVolumeClaim_AndIsRecreated()
    {
        var resources = TestManifests.Basic();
        resources["gateway"] = TestManifests.Project("gateway", new JsonObject { ["FileSink__Directory"] = "/data/gateway/sink" });

        var result = TestManifests.Generate(resources);
        var gateway = Load<V1Deployment>(result, "base/gateway/deployment.yaml");
        var claim = Load<V1PersistentVolumeClaim>(result, "base/gateway/persistentvolumeclaim.yaml");

        Assert.Equal("Recreate", gateway.Spec.Strategy.Type);
        Assert.Contains(gateway.Spec.Template.Spec.Volumes, v => v.PersistentVolumeClaim?.ClaimName == claim.Metadata.Name);
        Assert.Contains(gateway.Spec.Template.Spec.Containers.Single().VolumeMounts, m => m.MountPath == "/data");
        Assert.Null(Load<V1Deployment>(result, "base/sensor/deployment.yaml").Spec.Strategy);
        Assert.DoesNotContain(result.Files, f => f.Path == "base/sensor/persistentvolumeclaim.yaml");
    }

    [Theory]
    [InlineData("edgeapp.apphost-b0eca62d45-redis-data", "redis", "data")]
    [InlineData("edgeapp.apphost-0123456789-redis-appendonly", "redis", "appendonly")]
    [InlineData("my_volume", "redis", "my-volume")]
    public void AspireVolumeNames_BecomeClaimNamesWithoutTheCheckoutHash(string volume, string resource, string claim) =>
        Assert.Equal(claim, EdgeApp.Deploy.Mapping.ContainerMapper.ClaimName(volume, resource));

    [Fact]
    public void NetworkPolicies_AllowOnlyDeclaredFlows()
    {
        var resources = TestManifests.Basic();
        resources["eventhubs"] = JsonNode.Parse("""{"type":"parameter.v0","value":"{eventhubs.inputs.value}","inputs":{"value":{"type":"string","secret":true}}}""");
        resources["gateway"] = TestManifests.Project("gateway", new JsonObject { ["ConnectionStrings__eventhubs"] = "{eventhubs.value}" }, external: true);

        var result = TestManifests.Generate(resources);
        var redis = Load<V1NetworkPolicy>(result, "base/redis/networkpolicy.yaml");
        var sensor = Load<V1NetworkPolicy>(result, "base/sensor/networkpolicy.yaml");
        var gateway = Load<V1NetworkPolicy>(result, "base/gateway/networkpolicy.yaml");

        var redisIngress = Assert.Single(redis.Spec.Ingress);
        Assert.Equal(["sensor"], redisIngress.FromProperty.Select(p => p.PodSelector.MatchLabels["app.kubernetes.io/name"]));
        Assert.Null(redis.Spec.Egress);
        Assert.Contains(sensor.Spec.Egress, r => r.To.Single().PodSelector?.MatchLabels["app.kubernetes.io/name"] == "redis");
        Assert.Null(sensor.Spec.Ingress);
        Assert.DoesNotContain(sensor.Spec.Egress, r => r.To.Single().IpBlock is not null);
        Assert.Contains(gateway.Spec.Egress, r => r.To.Single().IpBlock?.Cidr == "0.0.0.0/0");
        Assert.Contains(gateway.Spec.Ingress, r => r.FromProperty is null && r.Ports.Single().Port.Value == "8080");
    }

    [Fact]
    public void Overlays_SetNamespaceImageTagsAndResources()
    {
        var settings = new GeneratorSettings { Namespace = "plant-7", Registry = "registry.example.com", Tag = "1.4.2", Overlay = "dev" };

        var result = TestManifests.Generate(TestManifests.Basic(), settings);
        var edge = Load<KustomizeFile>(result, "overlays/edge/kustomization.yaml");
        var dev = Load<KustomizeFile>(result, "overlays/dev/kustomization.yaml");
        var flux = Load<FluxKustomization>(result, "flux/flux-kustomization.yaml");

        Assert.Equal("plant-7", edge.Namespace);
        Assert.Equal("plant-7-dev", dev.Namespace);
        Assert.Equal("registry.example.com/edgeapp/sensor", Assert.Single(edge.Images!).Name);
        Assert.Equal("1.4.2", edge.Images![0].NewTag);
        Assert.Equal(["registry.example.com/edgeapp/sensor:1.4.2"], result.Images);
        Assert.Equal("./deploy/k8s/overlays/dev", flux.Spec.Path);
        Assert.Equal("plant-7-dev", Load<V1Namespace>(result, "overlays/dev/namespace.yaml").Metadata.Name);
    }

    [Theory]
    [InlineData("../EdgeApp.OpcPlc/EdgeApp.OpcPlc.csproj", "edgeapp/opc-plc")]
    [InlineData("../EdgeApp.OpcPublisher/EdgeApp.OpcPublisher.csproj", "edgeapp/opc-publisher")]
    [InlineData("src\\EdgeApp.Gateway\\EdgeApp.Gateway.csproj", "edgeapp/gateway")]
    [InlineData("Sensor/Sensor.csproj", "edgeapp/sensor")]
    [InlineData("../EdgeApp.OPCTools/EdgeApp.OPCTools.csproj", "edgeapp/opc-tools")]
    public void ImageName_IsKebabCaseOfTheProjectName(string path, string expected) =>
        Assert.Equal(expected, EdgeApp.Deploy.Workloads.ImageName.Repository(path));
}
