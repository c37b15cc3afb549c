using EdgeApp.OpcPublisher.Api;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Engine;
using EdgeApp.OpcPublisher.Output;
using EdgeApp.Spool;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace EdgeApp.OpcPublisher.Extensions;

public static class OpcPublisherExtensions
{
    /// <summary>
    /// The publisher: "OpcPublisher" options with OPC Publisher's flags over them (validated at start, messages name the
    /// key), the spool ("Spool" section) and its forwarder, the engine, the published-nodes source and the health check.
    /// Hosted services start in this order and stop in reverse: the spool opens before anything writes to it, and the
    /// sessions close (flushing into the spool) before the forwarder and the spool stop.
    /// </summary>
    public static TBuilder AddOpcPublisher<TBuilder>(this TBuilder builder, PublisherCommandLine commandLine)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        var services = builder.Services;
        services.AddOptions<OpcPublisherOptions>().BindConfiguration(OpcPublisherOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<PublisherMetrics>();
        services.AddSingleton<ForwarderState>();
        services.AddSingleton<PublisherEngine>();
        services.AddSingleton<PublishedNodesStore>();
        services.AddHttpClient(PublishedNodesSource.HttpClientName, client =>
        {
            client.Timeout = TimeSpan.FromSeconds(30);
            client.MaxResponseContentBufferSize = PublishedNodesSource.MaxDocumentBytes; // a wrong URL cannot fill memory
        });

        var useSpool = builder.Configuration.GetValue(OpcPublisherOptions.SectionName + ":" + nameof(OpcPublisherOptions.UseSpool), true);
        if (useSpool)
        {
            services.AddOptions<SpoolOptions>().BindConfiguration(SpoolOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
            services.AddSingleton<SpoolMetrics>();
            services.AddSingleton<MessageSpool>();
            services.AddHostedService(sp => sp.GetRequiredService<MessageSpool>());
            services.AddSingleton<IMessageOutbox, SpoolOutbox>();
            services.AddHostedService<SpoolForwarder>();
        }
        else
        {
            services.AddSingleton<IMessageOutbox, DirectOutbox>();
        }

        services.AddHostedService<PublishedNodesSource>();
        services.AddHealthChecks().AddCheck<PublisherHealthCheck>("opc-publisher");
        return builder;
    }

    public static IEndpointRouteBuilder MapOpcPublisherEndpoints(this IEndpointRouteBuilder endpoints) => endpoints.MapPublisherApi();
}
