using k8s.Models;

namespace EdgeApp.Tests.Deploy;

/// <summary>
/// The checks of the Kubernetes pod-security "restricted" profile (baseline included), plus our own hardening
/// rules (read-only root, probes, requests and limits, no service-account token), over one pod spec.
/// </summary>
internal static class PodSecurityRestricted
{
    private static readonly HashSet<string> AllowedVolumeTypes = ["configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret"];

    public static IReadOnlyList<string> Violations(string owner, V1PodSpec pod)
    {
        var problems = new List<string>();
        void Check(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add($"{owner}: {problem}");
            }
        }

        Check(pod.HostNetwork != true && pod.HostPID != true && pod.HostIPC != true, "host namespaces are not allowed");
        Check(pod.SecurityContext?.RunAsNonRoot == true, "pod securityContext.runAsNonRoot must be true");
        Check(pod.SecurityContext?.RunAsUser is null or > 0, "pod runAsUser must not be 0");
        Check(pod.AutomountServiceAccountToken == false, "automountServiceAccountToken must be false");
        Check(!string.IsNullOrEmpty(pod.ServiceAccountName) && pod.ServiceAccountName != "default", "a dedicated ServiceAccount is required");
        foreach (var volume in pod.Volumes ?? [])
        {
            var types = VolumeTypes(volume).ToList();
            Check(types.All(AllowedVolumeTypes.Contains), $"volume {volume.Name} has a type restricted forbids ({string.Join(',', types)})");
        }

        var podSeccomp = pod.SecurityContext?.SeccompProfile?.Type;
        foreach (var container in pod.Containers.Concat(pod.InitContainers ?? []))
        {
            var name = $"container {container.Name}";
            var context = container.SecurityContext;
            Check(context?.Privileged != true, $"{name} must not be privileged");
            Check(context?.AllowPrivilegeEscalation == false, $"{name} allowPrivilegeEscalation must be false");
            Check(context?.Capabilities?.Drop?.Contains("ALL") == true, $"{name} must drop ALL capabilities");
            Check((context?.Capabilities?.Add ?? []).All(c => c == "NET_BIND_SERVICE"), $"{name} may add only NET_BIND_SERVICE");
            Check(context?.RunAsNonRoot != false && (context?.RunAsNonRoot == true || pod.SecurityContext?.RunAsNonRoot == true), $"{name} must run as non-root");
            Check(context?.RunAsUser is null or > 0, $"{name} runAsUser must not be 0");
            var seccomp = context?.SeccompProfile?.Type ?? podSeccomp;
            Check(seccomp is "RuntimeDefault" or "Localhost", $"{name} seccompProfile must be RuntimeDefault or Localhost");
            Check(context?.ReadOnlyRootFilesystem == true, $"{name} readOnlyRootFilesystem must be true");
            Check((container.Ports ?? []).All(p => p.HostPort is null or 0), $"{name} must not use hostPort");
            Check(container.Resources?.Requests?.ContainsKey("cpu") == true && container.Resources.Requests.ContainsKey("memory"), $"{name} needs cpu and memory requests");
            Check(container.Resources?.Limits?.ContainsKey("cpu") == true && container.Resources.Limits.ContainsKey("memory"), $"{name} needs cpu and memory limits");
            Check(container.LivenessProbe is not null && container.ReadinessProbe is not null, $"{name} needs liveness and readiness probes");
            Check((container.VolumeMounts ?? []).Any(m => m.MountPath == "/tmp"), $"{name} needs a writable /tmp (emptyDir)");
        }

        return problems;
    }

    private static IEnumerable<string> VolumeTypes(V1Volume volume)
    {
        foreach (var property in typeof(V1Volume).GetProperties())
        {
            if (property.Name != nameof(V1Volume.Name) && property.GetValue(volume) is not null)
            {
                yield return char.ToLowerInvariant(property.Name[0]) + property.Name[1..];
            }
        }
    }
}
