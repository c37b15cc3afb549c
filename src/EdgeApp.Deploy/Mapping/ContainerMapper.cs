using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Endpoints;
using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Manifest;
using EdgeApp.Deploy.Workloads;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Mapping;

/// <summary>
/// <c>container.v0</c>/<c>container.v1</c> -> StatefulSet with a PersistentVolumeClaim per volume (Redis: <c>/data</c>
/// with the append-only file on), a ClusterIP Service for clients and a headless Service for the StatefulSet.
/// </summary>
public sealed class ContainerMapper : IResourceMapper
{
    /// <summary>UID for images the generator knows nothing about (the distroless "nonroot" user).</summary>
    public const long DefaultNonRootUser = 65532;

    public IReadOnlyList<string> Types { get; } = [ResourceTypes.ContainerV0, ResourceTypes.ContainerV1];

    public MappedResource Map(ManifestResource resource, MappingContext context)
    {
        if (resource.Type == ResourceTypes.ContainerV1 && resource.Image is null)
        {
            throw new DeployException(resource.Name, "image", "container.v1 with a build section: build and push the image, then reference it with an image name");
        }

        var image = resource.Image ?? throw new DeployException(resource.Name, "image", "missing");
        var name = KubernetesName.Of(resource.Name);
        var workload = context.Resolved.Workloads[resource.Name];
        var endpoints = context.Resolved.Endpoints.For(resource.Name);
        var labels = Labels.For(name, "container");
        var isRedis = DaprComponentNormalizer.IsRedisImage(image);

        if (resource.HasBindMounts)
        {
            context.Log.Warn(resource.Name, "bind mounts exist only on the developer machine and are left out");
        }

        var args = isRedis ? RedisPersistence.WithAppendOnly(resource.Entrypoint, workload.Args) : workload.Args;
        var environment = ContainerEnvironment.Build(resource.Name, workload.Env, args, [], context.Log);
        var volumes = Volumes(resource, isRedis);
        var user = isRedis ? RedisPersistence.RedisUser : DefaultNonRootUser;
        if (!isRedis)
        {
            context.Log.Warn(resource.Name, $"image '{image}' runs as UID {DefaultNonRootUser} (pod-security restricted); check that the image supports a non-root user");
        }

        var objects = new List<IKubernetesObject<V1ObjectMeta>> { PodHardening.ServiceAccount(name, labels) };
        V1ConfigMap? configMap = null;
        if (environment.ConfigData.Count > 0)
        {
            configMap = new V1ConfigMap
            {
                ApiVersion = "v1",
                Kind = "ConfigMap",
                Metadata = new V1ObjectMeta { Name = $"{name}-env", Labels = labels },
                Data = environment.ConfigData,
            };
            objects.Add(configMap);
        }

        var container = new V1Container
        {
            Name = name,
            Image = image,
            ImagePullPolicy = "IfNotPresent",
            Command = resource.Entrypoint is null ? null : [resource.Entrypoint],
            Args = environment.Args.Count == 0 ? null : environment.Args,
            Ports = endpoints.Select(e => new V1ContainerPort { Name = e.PortName, ContainerPort = e.ContainerPort, Protocol = e.KubernetesProtocol }).ToList(),
            EnvFrom = configMap is null ? null : [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = configMap.Metadata.Name } }],
            Env = environment.Env.Count == 0 ? null : environment.Env,
            Resources = ResourceProfiles.Container,
            VolumeMounts = volumes.Select(v => new V1VolumeMount { Name = v.ClaimName, MountPath = v.Target, ReadOnlyProperty = v.ReadOnly ? true : null }).ToList(),
        };
        AddProbes(container, endpoints);

        var annotations = new Dictionary<string, string>();
        if (configMap is not null)
        {
            annotations["edgeapp.io/config-hash"] = environment.ConfigHash;
        }

        if (context.SidecarOf(resource.Name) is { } sidecar)
        {
            foreach (var (key, value) in sidecar.Annotations(endpoints.FirstOrDefault()?.ContainerPort ?? EndpointTable.DefaultProjectHttpPort))
            {
                annotations[key] = value;
            }
        }

        objects.Add(new V1StatefulSet
        {
            ApiVersion = "apps/v1",
            Kind = "StatefulSet",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1StatefulSetSpec
            {
                Replicas = 1,
                ServiceName = $"{name}-headless",
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels, Annotations = annotations.Count == 0 ? null : annotations },
                    Spec = PodHardening.Harden(new V1PodSpec { Containers = [container] }, name, user),
                },
                VolumeClaimTemplates = volumes.Select(v => new V1PersistentVolumeClaim
                {
                    ApiVersion = "v1",
                    Kind = "PersistentVolumeClaim",
                    Metadata = new V1ObjectMeta { Name = v.ClaimName, Labels = Labels.Selector(name) },
                    Spec = new V1PersistentVolumeClaimSpec
                    {
                        AccessModes = ["ReadWriteOnce"],
                        Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                    },
                }).ToList(),
            },
        });

        if (endpoints.Count > 0)
        {
            objects.Add(ProjectMapper.ServiceFor(name, labels, endpoints));
        }

        objects.Add(ProjectMapper.ServiceFor(name, labels, endpoints, headless: true));
        return new MappedResource(resource.Name, name, objects);
    }

    private sealed record ClaimedVolume(string ClaimName, string Target, bool ReadOnly);

    private static List<ClaimedVolume> Volumes(ManifestResource resource, bool isRedis)
    {
        var volumes = resource.Volumes
            .Select(v => new ClaimedVolume(ClaimName(v.Name, resource.Name), v.Target, v.ReadOnly))
            .ToList();
        if (isRedis && volumes.All(v => v.Target != RedisPersistence.DataPath))
        {
            volumes.Add(new ClaimedVolume("data", RedisPersistence.DataPath, false));
        }

        return volumes;
    }

    /// <summary>
    /// Aspire names data volumes <c>&lt;app&gt;-&lt;hash of the AppHost path&gt;-&lt;resource&gt;-&lt;suffix&gt;</c>; the hash differs per
    /// checkout, so the claim is named by the suffix alone (<c>data</c>) to keep the output stable.
    /// </summary>
    public static string ClaimName(string volumeName, string resource)
    {
        var match = System.Text.RegularExpressions.Regex.Match(volumeName, $@"-[0-9a-f]{{10}}-{System.Text.RegularExpressions.Regex.Escape(resource)}-(?<suffix>.+)$");
        return KubernetesName.Of(match.Success ? match.Groups["suffix"].Value : volumeName);
    }

    private static void AddProbes(V1Container container, IReadOnlyList<ServiceEndpoint> endpoints)
    {
        if (endpoints.FirstOrDefault(e => e.KubernetesProtocol == "TCP") is not { } tcp)
        {
            return;
        }

        var port = (IntOrString)tcp.PortName;
        container.LivenessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port }, PeriodSeconds = 10, FailureThreshold = 3 };
        container.ReadinessProbe = new V1Probe { TcpSocket = new V1TCPSocketAction { Port = port }, PeriodSeconds = 5, FailureThreshold = 3 };
    }
}
