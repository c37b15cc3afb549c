using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Kubernetes.CustomResources;
using EdgeApp.Deploy.Output;
using k8s.Models;

namespace EdgeApp.Deploy.Layout;

/// <summary>
/// <c>flux/</c>: a GitRepository and a Flux Kustomization (<c>kustomize.toolkit.fluxcd.io/v1</c>) that apply the
/// chosen overlay, plus a kustomization.yaml so <c>kubectl apply -k deploy/k8s/flux</c> installs both.
/// </summary>
public static class FluxLayout
{
    public const string FluxNamespace = "flux-system";

    public static IReadOnlyList<OutputFile> Build(GeneratorSettings settings)
    {
        var name = KubernetesName.Of(settings.Namespace);
        var repository = new FluxGitRepository
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = FluxNamespace, Labels = Labels.Shared() },
            Spec = new FluxGitRepositorySpec
            {
                Interval = "1m",
                Url = settings.RepositoryUrl,
                Ref = new FluxGitReference { Branch = settings.Branch },
            },
        };
        var kustomization = new FluxKustomization
        {
            Metadata = new V1ObjectMeta { Name = name, NamespaceProperty = FluxNamespace, Labels = Labels.Shared() },
            Spec = new FluxKustomizationSpec
            {
                Path = OverlayPath(settings),
                SourceRef = new FluxSourceReference { Name = name },
            },
        };

        return
        [
            new OutputFile("flux/gitrepository.yaml", YamlRenderer.Render(repository)),
            new OutputFile("flux/flux-kustomization.yaml", YamlRenderer.Render(kustomization)),
            new OutputFile("flux/kustomization.yaml", YamlRenderer.Render(new KustomizeFile
            {
                Resources = ["gitrepository.yaml", "flux-kustomization.yaml"],
            })),
        ];
    }

    /// <summary>The overlay's path inside the repository, as Flux wants it (<c>./deploy/k8s/overlays/edge</c>).</summary>
    public static string OverlayPath(GeneratorSettings settings) =>
        $"./{settings.RepositoryPath.Trim('/').Replace('\\', '/')}/overlays/{settings.Overlay}";
}
