using System.ComponentModel.DataAnnotations;
using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Forwarding;
using EdgeApp.Gateway.Routing;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Spool;
using EdgeApp.Messaging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Registry;

namespace EdgeApp.Gateway.Extensions;

public static class GatewayExtensions
{
    public static TBuilder AddGateway<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;

        // Subscriptions and sinks are registered now, so their configuration is read and checked now.
        var gateway = ReadGatewayOptions(builder.Configuration);
        var sinks = SinkFactory.ReadDefinitions(builder.Configuration);
        CheckSinkReferences(gateway, sinks);

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(new GatewayOptionsAccessor(gateway));
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton(new Router(gateway.Routes));
        services.AddSingleton(sp => new SinkChannels(sp, sinks, sp.GetRequiredService<ResiliencePipelineProvider<string>>()));
        services.AddSingleton<GatewayDeadLetters>();
        services.AddOptions<SpoolOptions>().BindConfiguration(SpoolOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<SpoolMetrics>();
        services.AddHostedService<SpoolDrainer>();
        services.AddHealthChecks().AddCheck<SinkHealthCheck>("sinks");
        foreach (var name in sinks.Keys)
        {
            services.AddResiliencePipeline(SinkChannels.PipelineKey(name), SinkChannels.Configure);
        }

        if (sinks.Values.Contains(SinkType.DaprPubSub))
        {
            services.AddDaprSidecarClient();
        }

        foreach (var topic in gateway.Topics)
        {
            services.AddEventHandler<GatewayHandler>(topic);
        }

        return builder;
    }

    private static GatewayOptions ReadGatewayOptions(IConfiguration configuration)
    {
        var gateway = configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(gateway, new ValidationContext(gateway), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                GatewayOptions.SectionName, typeof(GatewayOptions), problems.Select(p => p.ErrorMessage ?? "invalid").ToList());
        }

        return gateway;
    }

    private static void CheckSinkReferences(GatewayOptions gateway, IReadOnlyDictionary<string, SinkType> sinks)
    {
        var errors = new List<string>();
        if (!sinks.ContainsKey(gateway.DeadLetterSink))
        {
            errors.Add($"Gateway:DeadLetterSink '{gateway.DeadLetterSink}' is not a sink under {SinkFactory.SectionName}.");
        }

        foreach (var (route, index) in gateway.Routes.Select((r, i) => (r, i)))
        {
            foreach (var sink in (route.Sinks ?? []).Where(s => !sinks.ContainsKey(s)))
            {
                errors.Add($"Gateway:Routes:{index}:Sinks names '{sink}', which is not a sink under {SinkFactory.SectionName}.");
            }
        }

        if (errors.Count > 0)
        {
            throw new OptionsValidationException(GatewayOptions.SectionName, typeof(GatewayOptions), errors);
        }
    }
}
