using EdgeApp.Deploy.Dapr;
using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Expressions;
using EdgeApp.Deploy.Layout;
using EdgeApp.Deploy.Manifest;
using EdgeApp.Deploy.Mapping;
using EdgeApp.Deploy.Network;
using EdgeApp.Deploy.Output;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy;

/// <summary>What a run produced: the files, the warnings, and the module images it expects.</summary>
public sealed record GenerationResult(IReadOnlyList<OutputFile> Files, IReadOnlyList<string> Warnings, IReadOnlyList<string> Images);

/// <summary>
/// manifest -> resolution pass -> one mapper per resource type -> Dapr, network and layout -> files.
/// Pure: nothing here touches the disk.
/// </summary>
public static class Generator
{
    public static GenerationResult Generate(AspireManifest manifest, GeneratorSettings settings)
    {
        if (!GeneratorSettings.Overlays.Contains(settings.Overlay))
        {
            throw new DeployException("(settings)", "--overlay", $"'{settings.Overlay}' is not one of {string.Join(", ", GeneratorSettings.Overlays)}");
        }

        var log = new GenerationLog();
        var resolved = ManifestResolver.Resolve(manifest, settings.Parameters, log);
        var sidecars = manifest.OfType(ResourceTypes.DaprSidecarV0).Select(s => DaprSidecarMapper.Map(s, manifest)).ToList();
        var context = new MappingContext(resolved, sidecars, settings, log);
        var mapped = MapperRegistry.Default.MapAll(manifest, context);

        var objects = new List<(string Folder, IKubernetesObject<V1ObjectMeta> Object)>();
        foreach (var resource in mapped)
        {
            objects.AddRange(resource.Objects.Select(o => (resource.Folder, o)));
        }

        foreach (var configuration in DaprConfigurationBuilder.Build(sidecars, settings.OtlpEndpoint))
        {
            objects.Add((DaprComponentResourceMapper.Folder, configuration));
        }

        if (DaprResiliencyBuilder.Build(resolved.DaprComponents.Select(c => c.Spec).ToList(), sidecars) is { } resiliency)
        {
            objects.Add((DaprComponentResourceMapper.Folder, resiliency));
        }

        var flows = NetworkFlows.From(resolved, sidecars);
        foreach (var resource in mapped.Where(m => resolved.Workloads.ContainsKey(m.Name)))
        {
            var isProject = resolved.Workloads[resource.Name].Source.Type is ResourceTypes.ProjectV0 or ResourceTypes.ProjectV1;
            objects.Add((resource.Folder, NetworkPolicyBuilder.ForWorkload(resource.Name, resolved, flows, context.SidecarOf(resource.Name), settings, exportsTelemetry: isProject)));
        }

        objects.AddRange(NetworkPolicyBuilder.Shared().Select(p => ("network", (IKubernetesObject<V1ObjectMeta>)p)));

        var modules = mapped.Where(m => m.Image is not null).Select(m => new OverlayLayout.ModuleDeployment(m.Folder, m.Image!)).ToList();
        var files = new List<OutputFile>();
        files.AddRange(BaseLayout.Build(objects));
        files.AddRange(OverlayLayout.Build(settings, modules));
        files.AddRange(FluxLayout.Build(settings));
        files.AddRange(ArcLayout.Build(settings));
        files.AddRange(SecretsLayout.Build(settings, resolved.Secrets));

        var images = modules.Select(m => $"{m.Image}:{settings.Tag}").ToList();
        return new GenerationResult(files, log.Warnings, images);
    }
}
