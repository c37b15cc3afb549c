using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Kubernetes.CustomResources;
using EdgeApp.Deploy.Output;
using EdgeApp.Deploy.Workloads;
using k8s.Models;

namespace EdgeApp.Deploy.Layout;

/// <summary>
/// <c>overlays/dev</c> and <c>overlays/edge</c>: the namespace (labelled for pod-security "restricted"), image
/// tags, replicas and resources of each module Deployment.
/// </summary>
public static class OverlayLayout
{
    /// <summary>A module Deployment the overlays tune: its name, container and image (without tag).</summary>
    public sealed record ModuleDeployment(string Name, string Image);

    public static IReadOnlyList<OutputFile> Build(GeneratorSettings settings, IReadOnlyList<ModuleDeployment> modules) =>
        GeneratorSettings.Overlays.SelectMany(overlay => BuildOverlay(overlay, settings, modules)).ToList();

    private static IEnumerable<OutputFile> BuildOverlay(string overlay, GeneratorSettings settings, IReadOnlyList<ModuleDeployment> modules)
    {
        var folder = $"overlays/{overlay}";
        var ns = settings.NamespaceFor(overlay);
        var resources = overlay == "edge" ? ResourceProfiles.EdgeProject : ResourceProfiles.DevProject;

        yield return new OutputFile($"{folder}/namespace.yaml", YamlRenderer.Render(new V1Namespace
        {
            ApiVersion = "v1",
            Kind = "Namespace",
            Metadata = new V1ObjectMeta
            {
                Name = ns,
                Labels = new Dictionary<string, string>
                {
                    [Labels.PartOf] = Labels.Application,
                    ["pod-security.kubernetes.io/enforce"] = "restricted",
                    ["pod-security.kubernetes.io/enforce-version"] = "latest",
                    ["pod-security.kubernetes.io/audit"] = "restricted",
                    ["pod-security.kubernetes.io/warn"] = "restricted",
                },
            },
        }));

        var patches = new List<KustomizePatch>();
        foreach (var module in modules)
        {
            var path = $"patches/{module.Name}-resources.yaml";
            patches.Add(new KustomizePatch { Path = path });
            yield return new OutputFile($"{folder}/{path}", YamlRenderer.Render(ResourcesPatch(module.Name, resources)));
        }

        yield return new OutputFile($"{folder}/kustomization.yaml", YamlRenderer.Render(new KustomizeFile
        {
            Namespace = ns,
            Resources = ["namespace.yaml", "../../base"],
            Images = modules.Select(m => new KustomizeImage { Name = m.Image, NewTag = settings.Tag }).ToList(),
            Replicas = modules.Select(m => new KustomizeReplicas { Name = m.Name, Count = 1 }).ToList(),
            Patches = patches.Count == 0 ? null : patches,
        }));
    }

    /// <summary>A strategic-merge patch that sets the requests and limits of the module's container.</summary>
    private static V1Deployment ResourcesPatch(string name, V1ResourceRequirements resources) => new()
    {
        ApiVersion = "apps/v1",
        Kind = "Deployment",
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Template = new V1PodTemplateSpec
            {
                Spec = new V1PodSpec { Containers = [new V1Container { Name = name, Resources = resources }] },
            },
        },
    };
}
