using System.Text.Json;
using EdgeApp.Deploy.Kubernetes.CustomResources;
using k8s;
using k8s.Models;

namespace EdgeApp.Tests.Deploy;

/// <summary>
/// End to end: manifest -> generate -> <c>kubectl kustomize</c> of base, every overlay and flux -> typed models,
/// schema validation, Dapr, pod-security and secret checks. Runs on the real AppHost's manifest and on the
/// full fixture (every module, Dapr on each, the Event Hubs secret).
/// </summary>
public sealed class RenderedOutputTests
{
    public static TheoryData<string> Sources => new() { ApplicationManifest.AppHost, "edgeapp" };

    private static readonly Dictionary<string, Type> CustomKinds = new()
    {
        [$"{DaprComponent.ApiVersionValue}/{DaprComponent.KindValue}"] = typeof(DaprComponent),
        [$"{DaprConfiguration.ApiVersionValue}/{DaprConfiguration.KindValue}"] = typeof(DaprConfiguration),
        [$"{DaprResiliency.ApiVersionValue}/{DaprResiliency.KindValue}"] = typeof(DaprResiliency),
        [$"{FluxGitRepository.ApiVersionValue}/{FluxGitRepository.KindValue}"] = typeof(FluxGitRepository),
        [$"{FluxKustomization.ApiVersionValue}/{FluxKustomization.KindValue}"] = typeof(FluxKustomization),
    };

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Kustomize_RendersBaseEveryOverlayAndFlux(string source)
    {
        var tree = await RenderedTree.GetAsync(source);

        Assert.Equal(RenderedTree.KustomizeRoots.Order(StringComparer.Ordinal), tree.Rendered.Keys.Order(StringComparer.Ordinal));
        Assert.All(tree.Rendered.Values, yaml => Assert.Contains("kind:", yaml, StringComparison.Ordinal));

        Assert.Contains("kind: Deployment", tree.Rendered["base"], StringComparison.Ordinal);
        Assert.Contains("kind: StatefulSet", tree.Rendered["base"], StringComparison.Ordinal);
        Assert.Contains("kind: GitRepository", tree.Rendered["flux"], StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task RenderedDocuments_ParseBackIntoTypedModels_WithoutUnknownFields(string source)
    {
        var tree = await RenderedTree.GetAsync(source);

        foreach (var (root, yaml) in tree.Rendered)
        {
            var objects = KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true);
            Assert.NotEmpty(objects);
            Assert.All(objects, o => Assert.IsAssignableFrom<IKubernetesObject<V1ObjectMeta>>(o));
            Assert.DoesNotContain(objects, o => o.GetType() == typeof(object) || o is Dictionary<object, object>);
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task RenderedDocuments_PassSchemaValidation(string source)
    {
        var tree = await RenderedTree.GetAsync(source);
        var files = new List<string>();
        var directory = DeployPaths.NewTempDirectory();
        foreach (var (root, yaml) in tree.Rendered)
        {
            // Not into tree.Directory: the drift test compares that folder file by file.
            var file = Path.Combine(directory, $"rendered-{root.Replace('/', '-')}.yaml");
            await File.WriteAllTextAsync(file, yaml);
            files.Add(file);
        }

        var report = await SchemaValidator.ValidateAsync(files);

        Assert.True(report.ExitCode == 0, $"schema validation failed:\n{report.Output}{report.Error}");
        using var json = JsonDocument.Parse(report.Output);
        var kinds = json.RootElement.GetProperty("kinds").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("apps/v1/Deployment", kinds);
        Assert.Contains("dapr.io/v1alpha1/Component", kinds);
        Assert.Contains("kustomize.toolkit.fluxcd.io/v1/Kustomization", kinds);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task DaprComponents_HaveTypeVersionMetadataAndScopes(string source)
    {
        var tree = await RenderedTree.GetAsync(source);
        var objects = KubernetesYaml.LoadAllFromString(tree.Rendered["overlays/edge"], CustomKinds, strict: true);
        var components = objects.OfType<DaprComponent>().ToList();
        var deployments = objects.OfType<V1Deployment>().ToList();
        var appIds = deployments.Select(d => Value(d.Spec.Template.Metadata.Annotations, "dapr.io/app-id")).OfType<string>().ToHashSet();

        Assert.NotEmpty(components);
        foreach (var component in components)
        {
            Assert.Matches(@"^[a-z]+\.[a-z0-9.\-]+$", component.Spec.Type);
            Assert.Equal("v1", component.Spec.Version);
            Assert.NotEmpty(component.Spec.Metadata);
            Assert.All(component.Spec.Metadata, m => Assert.True(m.Value is not null ^ m.SecretKeyRef is not null, $"{component.Metadata.Name}.{m.Name}: value xor secretKeyRef"));
            Assert.NotNull(component.Scopes);
            Assert.All(component.Scopes!, scope => Assert.Contains(scope, appIds));
        }

        var pubsub = Assert.Single(components, c => c.Spec.Type == "pubsub.redis");
        var metadata = pubsub.Spec.Metadata.ToDictionary(m => m.Name);
        Assert.Equal("redis:6379", metadata["redisHost"].Value);
        Assert.NotNull(metadata["redisPassword"].SecretKeyRef);
        Assert.Null(metadata["redisPassword"].Value);
        foreach (var key in new[] { "consumerID", "processingTimeout", "redeliverInterval", "maxLenApprox" })
        {
            Assert.False(string.IsNullOrEmpty(metadata[key].Value), $"pubsub metadata {key} must be set");
        }

        var configuration = Assert.Single(objects.OfType<DaprConfiguration>());
        Assert.True(configuration.Spec.Mtls?.Enabled);
        Assert.DoesNotContain("://", configuration.Spec.Tracing!.Otel!.EndpointAddress, StringComparison.Ordinal);
        var resiliency = Assert.Single(objects.OfType<DaprResiliency>());
        var target = resiliency.Spec.Targets.Components[pubsub.Metadata.Name];
        Assert.NotNull(target.Inbound?.Retry);
        Assert.NotNull(target.Inbound?.CircuitBreaker);
        Assert.NotNull(target.Outbound?.Retry);
        Assert.NotNull(target.Outbound?.CircuitBreaker);
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task DaprAnnotations_AreOnThePodTemplate_NotOnTheDeployment(string source)
    {
        var tree = await RenderedTree.GetAsync(source);
        var deployments = KubernetesYaml.LoadAllFromString(tree.Rendered["base"], CustomKinds, strict: true).OfType<V1Deployment>().ToList();

        Assert.NotEmpty(deployments);
        Assert.All(deployments, d => Assert.DoesNotContain(d.Metadata.Annotations?.Keys ?? [], k => k.StartsWith("dapr.io/", StringComparison.Ordinal)));
        var withDapr = deployments.Where(d => d.Spec.Template.Metadata.Annotations?.ContainsKey("dapr.io/enabled") == true).ToList();
        Assert.NotEmpty(withDapr);
        foreach (var deployment in withDapr)
        {
            var annotations = deployment.Spec.Template.Metadata.Annotations;
            foreach (var key in new[] { "dapr.io/app-id", "dapr.io/app-port", "dapr.io/app-protocol", "dapr.io/config", "dapr.io/enable-metrics", "dapr.io/log-as-json" })
            {
                Assert.True(annotations.ContainsKey(key), $"{deployment.Metadata.Name} lacks {key}");
            }

            var port = int.Parse(annotations["dapr.io/app-port"], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains(deployment.Spec.Template.Spec.Containers[0].Ports, p => p.ContainerPort == port);
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task EveryPodSpec_MeetsPodSecurityRestricted(string source)
    {
        var tree = await RenderedTree.GetAsync(source);
        var problems = new List<string>();
        var pods = 0;
        foreach (var (root, yaml) in tree.Rendered)
        {
            foreach (var item in KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true))
            {
                var (owner, pod) = item switch
                {
                    V1Deployment d => ($"{root}: Deployment {d.Metadata.Name}", d.Spec.Template.Spec),
                    V1StatefulSet s => ($"{root}: StatefulSet {s.Metadata.Name}", s.Spec.Template.Spec),
                    V1DaemonSet ds => ($"{root}: DaemonSet {ds.Metadata.Name}", ds.Spec.Template.Spec),
                    V1Pod p => ($"{root}: Pod {p.Metadata.Name}", p.Spec),
                    _ => (null, null),
                };
                if (pod is not null)
                {
                    pods++;
                    problems.AddRange(PodSecurityRestricted.Violations(owner!, pod));
                }
            }
        }

        Assert.True(pods > 0, "no pod specs rendered");
        Assert.True(problems.Count == 0, string.Join('\n', problems));
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task Namespaces_EnforceRestricted_AndNetworkPoliciesDefaultDeny(string source)
    {
        var tree = await RenderedTree.GetAsync(source);
        foreach (var overlay in new[] { "overlays/dev", "overlays/edge" })
        {
            var objects = KubernetesYaml.LoadAllFromString(tree.Rendered[overlay], CustomKinds, strict: true);
            var ns = Assert.Single(objects.OfType<V1Namespace>());
            Assert.Equal("restricted", ns.Metadata.Labels["pod-security.kubernetes.io/enforce"]);
            Assert.All(objects.Where(o => o is not V1Namespace).Cast<IKubernetesObject<V1ObjectMeta>>(), o => Assert.Equal(ns.Metadata.Name, o.Metadata.NamespaceProperty));

            var policies = objects.OfType<V1NetworkPolicy>().ToList();
            var deny = Assert.Single(policies, p => p.Metadata.Name == "default-deny-all");
            Assert.Empty(deny.Spec.PodSelector.MatchLabels ?? new Dictionary<string, string>());
            Assert.Equal(["Ingress", "Egress"], deny.Spec.PolicyTypes);
            Assert.Null(deny.Spec.Ingress);
            Assert.Null(deny.Spec.Egress);
            foreach (var workload in objects.OfType<V1Deployment>().Select(d => d.Metadata.Name).Concat(objects.OfType<V1StatefulSet>().Select(s => s.Metadata.Name)))
            {
                Assert.Contains(policies, p => Value(p.Spec.PodSelector.MatchLabels, "app.kubernetes.io/name") == workload);
            }

            var serviceAccounts = objects.OfType<V1ServiceAccount>().ToList();
            Assert.All(serviceAccounts, sa => Assert.False(sa.AutomountServiceAccountToken));
        }
    }

    [Theory]
    [MemberData(nameof(Sources))]
    public async Task NoSecretObjectOrValue_InAnyGeneratedOrRenderedFile(string source)
    {
        var tree = await RenderedTree.GetAsync(source);

        foreach (var (root, yaml) in tree.Rendered)
        {
            var objects = KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true);
            Assert.DoesNotContain(objects, o => o is V1Secret);
        }

        // Every secret reference points at a Secret the secrets script creates; none carries a value.
        var script = tree.Result.Files.Single(f => f.Path == "secrets/create-secrets.sh").Content;
        var referenced = tree.Rendered.Values.SelectMany(SecretReferences).Distinct().ToList();
        Assert.NotEmpty(referenced);
        Assert.All(referenced, name => Assert.Contains($"exists {name} ||", script, StringComparison.Ordinal));
    }

    private static string? Value(IDictionary<string, string>? map, string key) =>
        map is not null && map.TryGetValue(key, out var value) ? value : null;

    private static IEnumerable<string> SecretReferences(string yaml)
    {
        foreach (var item in KubernetesYaml.LoadAllFromString(yaml, CustomKinds, strict: true))
        {
            var pod = item switch
            {
                V1Deployment d => d.Spec.Template.Spec,
                V1StatefulSet s => s.Spec.Template.Spec,
                _ => null,
            };
            foreach (var env in pod?.Containers.SelectMany(c => c.Env ?? []) ?? [])
            {
                Assert.True(env.ValueFrom?.SecretKeyRef is null || env.Value is null, $"{env.Name} has both a value and a secret reference");
                if (env.ValueFrom?.SecretKeyRef is { } reference)
                {
                    yield return reference.Name;
                }
            }

            if (item is DaprComponent component)
            {
                foreach (var reference in component.Spec.Metadata.Select(m => m.SecretKeyRef).OfType<DaprSecretKeyRef>())
                {
                    yield return reference.Name;
                }
            }
        }
    }
}
