using k8s.Models;

namespace EdgeApp.Deploy.Workloads;

/// <summary>Requests and limits per kind of workload: the base values and the ones each overlay patches in.</summary>
public static class ResourceProfiles
{
    public static V1ResourceRequirements Project => Make("100m", "128Mi", "1", "512Mi");

    public static V1ResourceRequirements Container => Make("100m", "128Mi", "1", "1Gi");

    /// <summary>dev: small requests so everything fits a laptop cluster.</summary>
    public static V1ResourceRequirements DevProject => Make("50m", "96Mi", "500m", "384Mi");

    /// <summary>edge: guaranteed memory for the data path on an industrial PC.</summary>
    public static V1ResourceRequirements EdgeProject => Make("250m", "256Mi", "2", "768Mi");

    public static V1ResourceRequirements Make(string cpuRequest, string memoryRequest, string cpuLimit, string memoryLimit) => new()
    {
        Requests = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpuRequest),
            ["memory"] = new(memoryRequest),
        },
        Limits = new Dictionary<string, ResourceQuantity>
        {
            ["cpu"] = new(cpuLimit),
            ["memory"] = new(memoryLimit),
        },
    };
}
