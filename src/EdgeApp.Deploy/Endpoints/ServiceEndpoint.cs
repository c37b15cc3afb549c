namespace EdgeApp.Deploy.Endpoints;

/// <summary>
/// Where a manifest binding lives in the cluster: the Service named after the resource, on the container port
/// (the Service port equals the container port, so <c>.port</c> and <c>.targetPort</c> agree).
/// </summary>
public sealed record ServiceEndpoint(
    string Resource,
    string Binding,
    string Scheme,
    string Protocol,
    int ContainerPort,
    bool External,
    bool Served)
{
    public string Host => Resource;

    public int ServicePort => ContainerPort;

    public string Url => $"{Scheme}://{Host}:{ServicePort}";

    /// <summary>Kubernetes port names are IANA service names: at most 15 lowercase letters, digits and dashes.</summary>
    public string PortName
    {
        get
        {
            var name = new string(Binding.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray()).Trim('-');
            return name.Length > 15 ? name[..15].TrimEnd('-') : name;
        }
    }

    /// <summary>Kubernetes protocol of the port (<c>TCP</c> unless the binding says <c>udp</c>).</summary>
    public string KubernetesProtocol => string.Equals(Protocol, "udp", StringComparison.OrdinalIgnoreCase) ? "UDP" : "TCP";
}
