using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Endpoints;
using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Manifest;
using EdgeApp.Deploy.Workloads;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Mapping;

/// <summary>
/// <c>project.v0</c>/<c>project.v1</c> -> ServiceAccount, ConfigMap, Deployment (hardened, probed, Dapr
/// annotations on the pod template) and a Service for the endpoints it serves. A project whose settings point
/// under <c>/data</c> (the AppHost's publish-mode data directory: spools, file sinks) gets a
/// PersistentVolumeClaim mounted there, and its Deployment is recreated rather than rolled.
/// </summary>
public sealed class ProjectMapper : IResourceMapper
{
    public const string LivenessPath = "/alive";
    public const string ReadinessPath = "/health";
    public const string PersistentDataPath = "/data";
    public const string DataVolume = "data";

    public IReadOnlyList<string> Types { get; } = [ResourceTypes.ProjectV0, ResourceTypes.ProjectV1];

    public MappedResource Map(ManifestResource resource, MappingContext context)
    {
        var name = KubernetesName.Of(resource.Name);
        var workload = context.Resolved.Workloads[resource.Name];
        var endpoints = context.Resolved.Endpoints.For(resource.Name).Where(e => e.Served).ToList();
        var http = endpoints.FirstOrDefault(e => e.Scheme == "http");
        var labels = Labels.For(name, "project");
        var image = ImageName.WithRegistry(
            ImageName.Repository(resource.Path ?? throw new DeployException(resource.Name, "path", "missing")),
            context.Settings.Registry);

        var environment = ContainerEnvironment.Build(resource.Name, workload.Env, workload.Args, TelemetryDefaults(resource.Name, context.Settings), context.Log);
        var configMap = new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta { Name = $"{name}-env", Labels = labels },
            Data = environment.ConfigData,
        };

        var container = new V1Container
        {
            Name = name,
            Image = $"{image}:{context.Settings.Tag}",
            ImagePullPolicy = "IfNotPresent",
            Args = environment.Args.Count == 0 ? null : environment.Args,
            Ports = endpoints.Select(e => new V1ContainerPort { Name = e.PortName, ContainerPort = e.ContainerPort, Protocol = e.KubernetesProtocol }).ToList(),
            EnvFrom = [new V1EnvFromSource { ConfigMapRef = new V1ConfigMapEnvSource { Name = configMap.Metadata.Name } }],
            Env = environment.Env.Count == 0 ? null : environment.Env,
            Resources = ResourceProfiles.Project,
        };
        if (http is not null)
        {
            AddProbes(container, http);
        }
        else
        {
            context.Log.Warn(resource.Name, "has no http binding: no liveness/readiness probes");
        }

        var usesData = environment.ConfigData.Values.Any(v => v == PersistentDataPath || v.StartsWith(PersistentDataPath + "/", StringComparison.Ordinal));
        var podSpec = new V1PodSpec { Containers = [container] };
        V1PersistentVolumeClaim? claim = null;
        if (usesData)
        {
            claim = new V1PersistentVolumeClaim
            {
                ApiVersion = "v1",
                Kind = "PersistentVolumeClaim",
                Metadata = new V1ObjectMeta { Name = $"{name}-{DataVolume}", Labels = labels },
                Spec = new V1PersistentVolumeClaimSpec
                {
                    AccessModes = ["ReadWriteOnce"],
                    Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } },
                },
            };
            podSpec.Volumes = [new V1Volume { Name = DataVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim.Metadata.Name } }];
            container.VolumeMounts = [new V1VolumeMount { Name = DataVolume, MountPath = PersistentDataPath }];
        }

        var annotations = new Dictionary<string, string> { ["edgeapp.io/config-hash"] = environment.ConfigHash };
        if (context.SidecarOf(resource.Name) is { } sidecar)
        {
            foreach (var (key, value) in sidecar.Annotations(http?.ContainerPort ?? EndpointTable.DefaultProjectHttpPort))
            {
                annotations[key] = value;
            }
        }

        var deployment = new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = name, Labels = labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                RevisionHistoryLimit = 3,
                // One pod owns a ReadWriteOnce volume: stop the old pod before the new one mounts it.
                Strategy = usesData ? new V1DeploymentStrategy { Type = "Recreate" } : null,
                Selector = new V1LabelSelector { MatchLabels = Labels.Selector(name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = labels, Annotations = annotations },
                    Spec = PodHardening.Harden(podSpec, name, PodHardening.DotNetAppUser),
                },
            },
        };

        var objects = new List<IKubernetesObject<V1ObjectMeta>> { PodHardening.ServiceAccount(name, labels), configMap };
        if (claim is not null)
        {
            objects.Add(claim);
        }

        objects.Add(deployment);
        if (endpoints.Count > 0)
        {
            objects.Add(ServiceFor(name, labels, endpoints));
        }

        return new MappedResource(resource.Name, name, objects) { Image = image };
    }

    /// <summary>Apps export telemetry to the collector unless the AppHost already says where.</summary>
    private static IEnumerable<KeyValuePair<string, string>> TelemetryDefaults(string resource, GeneratorSettings settings) =>
    [
        new("OTEL_SERVICE_NAME", resource),
        new("OTEL_EXPORTER_OTLP_ENDPOINT", settings.OtlpEndpoint),
        new("OTEL_EXPORTER_OTLP_PROTOCOL", "grpc"),
    ];

    private static void AddProbes(V1Container container, ServiceEndpoint http)
    {
        var port = (IntOrString)http.PortName;
        container.StartupProbe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = LivenessPath, Port = port },
            PeriodSeconds = 2,
            FailureThreshold = 30,
        };
        container.LivenessProbe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = LivenessPath, Port = port },
            PeriodSeconds = 10,
            TimeoutSeconds = 2,
            FailureThreshold = 3,
        };
        container.ReadinessProbe = new V1Probe
        {
            HttpGet = new V1HTTPGetAction { Path = ReadinessPath, Port = port },
            PeriodSeconds = 5,
            TimeoutSeconds = 2,
            FailureThreshold = 3,
        };
    }

    public static V1Service ServiceFor(string name, IDictionary<string, string> labels, IEnumerable<ServiceEndpoint> endpoints, bool headless = false) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = new V1ObjectMeta { Name = headless ? $"{name}-headless" : name, Labels = labels },
        Spec = new V1ServiceSpec
        {
            Type = headless ? null : "ClusterIP",
            ClusterIP = headless ? "None" : null,
            Selector = Labels.Selector(name),
            Ports = endpoints.Select(e => new V1ServicePort
            {
                Name = e.PortName,
                Port = e.ServicePort,
                TargetPort = (IntOrString)e.PortName,
                Protocol = e.KubernetesProtocol,
            }).ToList(),
        },
    };
}
