namespace EdgeApp.Deploy.Manifest;

/// <summary>The <c>type</c> strings of the Aspire manifest that the generator understands.</summary>
public static class ResourceTypes
{
    public const string ProjectV0 = "project.v0";
    public const string ProjectV1 = "project.v1";
    public const string ContainerV0 = "container.v0";
    public const string ContainerV1 = "container.v1";
    public const string ExecutableV0 = "executable.v0";
    public const string ValueV0 = "value.v0";
    public const string ParameterV0 = "parameter.v0";
    public const string AnnotatedString = "annotated.string";
    public const string DaprComponentV0 = "dapr.component.v0";
    public const string DaprSidecarV0 = "dapr.v0";
}
