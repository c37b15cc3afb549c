namespace EdgeApp.Deploy.Kubernetes;

/// <summary>The recommended <c>app.kubernetes.io/*</c> labels; selectors use only the name.</summary>
public static class Labels
{
    public const string Name = "app.kubernetes.io/name";
    public const string PartOf = "app.kubernetes.io/part-of";
    public const string Component = "app.kubernetes.io/component";
    public const string ManagedBy = "app.kubernetes.io/managed-by";
    public const string Application = "edgeapp";
    public const string Generator = "edgeapp-deploy";

    public static Dictionary<string, string> Selector(string name) => new() { [Name] = name };

    public static Dictionary<string, string> For(string name, string component) => new()
    {
        [Name] = name,
        [PartOf] = Application,
        [Component] = component,
        [ManagedBy] = Generator,
    };

    public static Dictionary<string, string> Shared() => new()
    {
        [PartOf] = Application,
        [ManagedBy] = Generator,
    };
}
