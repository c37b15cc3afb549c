using k8s.Models;

namespace EdgeApp.Deploy.Workloads;

/// <summary>
/// Pod and container settings that meet the pod-security "restricted" profile: non-root, no privilege
/// escalation, all capabilities dropped, RuntimeDefault seccomp, and a read-only root file system with an
/// emptyDir for <c>/tmp</c>.
/// </summary>
public static class PodHardening
{
    /// <summary>The <c>app</c> user of the .NET container images (and the ContainerUser of our images).</summary>
    public const long DotNetAppUser = 1654;

    public const string TempVolume = "tmp";

    public static V1PodSecurityContext PodSecurityContext(long user) => new()
    {
        RunAsNonRoot = true,
        RunAsUser = user,
        RunAsGroup = user,
        FsGroup = user,
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1SecurityContext ContainerSecurityContext() => new()
    {
        AllowPrivilegeEscalation = false,
        Privileged = false,
        ReadOnlyRootFilesystem = true,
        RunAsNonRoot = true,
        Capabilities = new V1Capabilities { Drop = ["ALL"] },
        SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
    };

    public static V1Volume TempDir() => new()
    {
        Name = TempVolume,
        EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("64Mi") },
    };

    public static V1VolumeMount TempMount() => new() { Name = TempVolume, MountPath = "/tmp" };

    /// <summary>Applies the pod-level settings every generated pod shares.</summary>
    public static V1PodSpec Harden(V1PodSpec spec, string serviceAccount, long user)
    {
        spec.ServiceAccountName = serviceAccount;
        spec.AutomountServiceAccountToken = false;
        // Service links would add REDIS_PORT=tcp://... style variables that clash with Aspire's settings.
        spec.EnableServiceLinks = false;
        spec.SecurityContext = PodSecurityContext(user);
        spec.Volumes = [TempDir(), .. spec.Volumes ?? []];
        foreach (var container in spec.Containers)
        {
            container.SecurityContext = ContainerSecurityContext();
            container.VolumeMounts = [TempMount(), .. container.VolumeMounts ?? []];
        }

        return spec;
    }

    public static V1ServiceAccount ServiceAccount(string name, IDictionary<string, string> labels) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = new V1ObjectMeta { Name = name, Labels = labels },
        AutomountServiceAccountToken = false,
    };
}
