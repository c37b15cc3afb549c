namespace EdgeApp.AppHost.Hosting;

/// <summary>
/// How this AppHost run composes the app, from the "EdgeApp" configuration section and what the machine offers:
/// containers only when a runtime answers, Dapr sidecars when daprd is on PATH (and always in publish mode).
/// </summary>
public sealed record EdgeAppHostSettings(bool UseContainers, bool UseDaprSidecars, string DataDirectory, bool IsPublishMode, string RedisAppendFsync = "everysec")
{
    /// <summary>Where a module keeps data: under <see cref="DataDirectory"/> locally, under <c>/data</c> in a container.</summary>
    public string DataPath(string relative) =>
        IsPublishMode ? "/data/" + relative : Path.Combine(DataDirectory, relative);

    public const string SectionName = "EdgeApp";

    public static EdgeAppHostSettings From(IDistributedApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection(SectionName);
        var publishing = builder.ExecutionContext.IsPublishMode;

        var containers = Choice(section["ContainerRuntime"], "EdgeApp:ContainerRuntime") switch
        {
            Mode.On => true,
            Mode.Off => false,
            _ => publishing || ContainerRuntimeProbe.IsHealthy(),
        };
        var dapr = Choice(section["Dapr"], "EdgeApp:Dapr") switch
        {
            Mode.On => true,
            Mode.Off => publishing,
            _ => publishing || ExecutableProbe.IsOnPath("daprd"),
        };

        var dataDirectory = section["DataDirectory"] is { Length: > 0 } configured ? configured : ".data";
        if (!Path.IsPathRooted(dataDirectory))
        {
            dataDirectory = Path.Combine(builder.AppHostDirectory, dataDirectory);
        }

        var appendFsync = section["Redis:AppendFsync"]?.Trim().ToLowerInvariant() ?? "everysec";
        if (appendFsync is not ("everysec" or "always" or "no" or "off"))
        {
            throw new InvalidOperationException($"EdgeApp:Redis:AppendFsync must be 'everysec', 'always', 'no' or 'off', not '{appendFsync}'.");
        }

        return new EdgeAppHostSettings(containers, dapr, Path.GetFullPath(dataDirectory), publishing, appendFsync);
    }

    private enum Mode
    {
        Auto,
        On,
        Off,
    }

    private static Mode Choice(string? value, string key) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "auto" => Mode.Auto,
        "true" or "on" or "yes" or "docker" or "podman" => Mode.On,
        "false" or "off" or "no" or "none" => Mode.Off,
        _ => throw new InvalidOperationException($"{key} must be 'auto', 'on' or 'off', not '{value}'."),
    };
}
