using k8s;
using k8s.Models;

namespace EdgeApp.Deploy.Mapping;

/// <summary>What one manifest resource becomes: Kubernetes objects filed under <c>base/&lt;Folder&gt;/</c>.</summary>
public sealed record MappedResource(string Name, string Folder, IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Objects)
{
    /// <summary>The module image this resource expects to be built (projects only).</summary>
    public string? Image { get; init; }
}
