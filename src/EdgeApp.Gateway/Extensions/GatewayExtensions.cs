using System.ComponentModel.DataAnnotations;
using EdgeApp.Gateway.Diagnostics;
using EdgeApp.Gateway.Sinks;
using EdgeApp.Messaging;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace EdgeApp.Gateway.Extensions;

public static class GatewayExtensions
{
    public static TBuilder AddGateway<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<FileSinkOptions>().BindConfiguration(FileSinkOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<FileSink>();
        services.AddSingleton<IEventSink>(sp => sp.GetRequiredService<FileSink>());

        // Subscriptions are registered now, so the topics are read and checked now.
        var gateway = builder.Configuration.GetSection(GatewayOptions.SectionName).Get<GatewayOptions>() ?? new GatewayOptions();
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(gateway, new ValidationContext(gateway), problems, validateAllProperties: true))
        {
            throw new OptionsValidationException(
                GatewayOptions.SectionName, typeof(GatewayOptions), problems.Select(p => p.ErrorMessage ?? "invalid").ToList());
        }

        foreach (var topic in gateway.Topics)
        {
            services.AddEventHandler<GatewayHandler>(topic);
        }

        return builder;
    }
}
