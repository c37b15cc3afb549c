using EdgeApp.Deploy.Kubernetes.CustomResources;
using EdgeApp.Deploy.Output;
using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Layout;

/// <summary>
/// <c>base/</c>: one folder per resource (<c>base/sensor/deployment.yaml</c>, ...), <c>base/dapr/</c>,
/// <c>base/network/</c>, and a <c>kustomization.yaml</c> listing every file.
/// </summary>
public static class BaseLayout
{
    public const string Folder = "base";

    public static IReadOnlyList<OutputFile> Build(IEnumerable<(string Folder, IKubernetesObject<V1ObjectMeta> Object)> objects)
    {
        var files = new List<OutputFile>();
        foreach (var group in objects.GroupBy(o => o.Folder, StringComparer.Ordinal))
        {
            var list = group.Select(g => g.Object).ToList();
            foreach (var item in list)
            {
                var kind = item.Kind.ToLowerInvariant();
                // Resource folders hold one object per kind; shared folders (dapr, network) name each file.
                var unique = list.Count(o => o.Kind == item.Kind) == 1
                    && (item.Metadata.Name == group.Key || item.Metadata.Name.StartsWith(group.Key + "-", StringComparison.Ordinal));
                var fileName = unique ? $"{kind}.yaml" : $"{kind}-{item.Metadata.Name}.yaml";
                files.Add(new OutputFile($"{Folder}/{group.Key}/{fileName}", YamlRenderer.Render(item)));
            }
        }

        var kustomization = new KustomizeFile
        {
            Resources = files.Select(f => f.Path[(Folder.Length + 1)..]).ToList(),
        };
        files.Add(new OutputFile($"{Folder}/kustomization.yaml", YamlRenderer.Render(kustomization)));
        return files;
    }
}
