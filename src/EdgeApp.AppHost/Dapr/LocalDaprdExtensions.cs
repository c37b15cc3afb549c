namespace EdgeApp.AppHost.Dapr;

internal static class LocalDaprdExtensions
{
    /// <summary>
    /// Runs <c>daprd</c> beside the app in self-hosted mode with a generated component folder, and tells the app
    /// where its sidecar listens (DAPR_HTTP_PORT / DAPR_GRPC_PORT, as the Dapr CLI does).
    /// </summary>
    public static IResourceBuilder<ProjectResource> WithLocalDaprd(this IResourceBuilder<ProjectResource> project, DaprPubSub pubSub, string appId)
    {
        var builder = pubSub.Builder;
        var componentsDirectory = Path.Combine(pubSub.Settings.DataDirectory, "dapr", appId, "components");
        Directory.CreateDirectory(componentsDirectory);
        var daprd = new DaprdResource(appId + "-dapr", Path.GetDirectoryName(componentsDirectory)!);
        var appEndpoint = project.GetEndpoint("http");

        builder.AddResource(daprd)
            .WithEndpoint(DaprdResource.HttpEndpointName, e => { e.UriScheme = "http"; e.IsProxied = false; })
            .WithEndpoint(DaprdResource.GrpcEndpointName, e => { e.UriScheme = "tcp"; e.IsProxied = false; })
            .WithEndpoint(DaprdResource.MetricsEndpointName, e => { e.UriScheme = "http"; e.IsProxied = false; })
            .WithArgs(context =>
            {
                Add(context, "--app-id", appId);
                Add(context, "--app-port", appEndpoint.Property(EndpointProperty.TargetPort));
                Add(context, "--app-protocol", "http");
                Add(context, "--dapr-http-port", daprd.HttpEndpoint.Property(EndpointProperty.TargetPort));
                Add(context, "--dapr-grpc-port", daprd.GrpcEndpoint.Property(EndpointProperty.TargetPort));
                Add(context, "--metrics-port", new EndpointReference(daprd, DaprdResource.MetricsEndpointName).Property(EndpointProperty.TargetPort));
                Add(context, "--resources-path", componentsDirectory);
                Add(context, "--log-level", "info");
            })
            .WaitFor(pubSub.Redis.Resource)
            .OnBeforeResourceStarted(async (_, _, cancellationToken) =>
            {
                var metadata = new List<KeyValuePair<string, string>>();
                foreach (var (key, expression) in pubSub.Component.Metadata)
                {
                    metadata.Add(new(key, await expression.GetValueAsync(cancellationToken) ?? string.Empty));
                }

                var yaml = DaprComponentYaml.Write(pubSub.Component.Name, DaprPubSubComponent.ComponentType, DaprPubSubComponent.ComponentVersion, metadata);
                await File.WriteAllTextAsync(Path.Combine(componentsDirectory, pubSub.Component.Name + ".yaml"), yaml, cancellationToken);
                await File.WriteAllTextAsync(Path.Combine(componentsDirectory, "resiliency.yaml"), DaprComponentYaml.InboundRetry(pubSub.Component.Name), cancellationToken);
            });

        return project
            .WithEnvironment("DAPR_HTTP_PORT", daprd.HttpEndpoint.Property(EndpointProperty.TargetPort))
            .WithEnvironment("DAPR_GRPC_PORT", daprd.GrpcEndpoint.Property(EndpointProperty.TargetPort));
    }

    private static void Add(CommandLineArgsCallbackContext context, string flag, object value)
    {
        context.Args.Add(flag);
        context.Args.Add(value);
    }
}
