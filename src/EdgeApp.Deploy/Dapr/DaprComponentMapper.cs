using EdgeApp.Deploy.Diagnostics;
using EdgeApp.Deploy.Expressions;
using EdgeApp.Deploy.Kubernetes;
using EdgeApp.Deploy.Kubernetes.CustomResources;
using k8s.Models;

namespace EdgeApp.Deploy.Dapr;

/// <summary>Maps a resolved <c>dapr.component.v0</c> to a Dapr Component, scoped to the apps whose sidecars use it.</summary>
public static class DaprComponentMapper
{
    public static DaprComponent Map(ResolvedDaprComponent component, IReadOnlyList<DaprSidecar> sidecars, GenerationLog log)
    {
        var scopes = sidecars.Where(s => s.Components.Contains(component.Name)).Select(s => s.AppId).Distinct().ToList();
        if (scopes.Count == 0)
        {
            log.Warn(component.Name, "no Dapr sidecar references this component, so it is not scoped: every Dapr app in the namespace can load it");
        }

        return new DaprComponent
        {
            Metadata = new V1ObjectMeta { Name = KubernetesName.Of(component.Name), Labels = Labels.For(component.Name, "dapr-component") },
            Spec = new DaprComponentSpecBody
            {
                Type = component.Spec.Type,
                Version = component.Spec.Version,
                Metadata = component.Metadata.Select(m => Entry(component.Name, m)).ToList(),
            },
            Scopes = scopes.Count == 0 ? null : scopes,
        };
    }

    private static DaprMetadataEntry Entry(string component, ResolvedSetting setting)
    {
        if (!setting.Value.HasSecrets)
        {
            return new DaprMetadataEntry { Name = setting.Name, Value = setting.Value.Text };
        }

        if (setting.Value.SingleSecret is { } secret)
        {
            return new DaprMetadataEntry
            {
                Name = setting.Name,
                SecretKeyRef = new DaprSecretKeyRef { Name = secret.SecretName, Key = secret.Key },
            };
        }

        throw new DeployException(component, $"daprComponent.metadata.{setting.Name}",
            "mixes text with a secret; a Dapr metadata entry can reference a whole secret only (secretKeyRef)");
    }
}
