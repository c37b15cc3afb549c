using EdgeApp.Messaging.Diagnostics;
using EdgeApp.Messaging.Transports.Dapr;
using EdgeApp.Messaging.Transports.RedisStreams;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeApp.Messaging;

public static class MessagingExtensions
{
    public const string HealthCheckName = "messaging";

    /// <summary>
    /// Adds the publisher, the subscription runtime and a readiness check for the transport that configuration
    /// ("Messaging:Transport") names. Module code depends only on <see cref="IEventPublisher"/> and <see cref="IEventHandler"/>.
    /// </summary>
    public static TBuilder AddMessaging<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        var services = builder.Services;
        services.AddOptions<MessagingOptions>()
            .BindConfiguration(MessagingOptions.SectionName)
            .PostConfigure<IConfiguration, IHostEnvironment>((options, configuration, environment) =>
                options.AppId = string.IsNullOrWhiteSpace(options.AppId) ? DefaultAppId(configuration, environment) : options.AppId)
            .Validate<IConfiguration>(
                (options, configuration) => options.Transport != MessagingTransport.RedisStreams
                    || !string.IsNullOrWhiteSpace(configuration.GetConnectionString(options.RedisStreams.ConnectionName)),
                "Messaging:Transport is RedisStreams but the connection string named by Messaging:RedisStreams:ConnectionName "
                + "(default ConnectionStrings:redis) is not set.")
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<MessagingOptions>, MessagingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<MessagingTelemetry>();
        services.TryAddSingleton<TransportHealth>();
        services.TryAddSingleton<EventDispatcher>();

        var transport = builder.Configuration.GetValue(MessagingOptions.SectionName + ":Transport", MessagingTransport.RedisStreams);
        if (transport == MessagingTransport.Dapr)
        {
            services.AddDaprSidecarClient();
            services.TryAddSingleton<IEventPublisher, DaprPublisher>();
            services.AddHealthChecks().AddCheck<DaprHealthCheck>(HealthCheckName);
        }
        else
        {
            services.TryAddSingleton<RedisConnections>();
            services.TryAddSingleton<IEventPublisher, RedisStreamsPublisher>();
            services.AddHostedService<RedisStreamsConsumer>();
            services.AddHealthChecks().AddCheck<RedisStreamsHealthCheck>(HealthCheckName);
        }

        return builder;
    }

    /// <summary>
    /// The HTTP client for this app's Dapr sidecar (endpoint from Messaging:Dapr or the variables Dapr injects);
    /// also for modules that publish to other components through the sidecar.
    /// </summary>
    public static IServiceCollection AddDaprSidecarClient(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(DaprSidecarClient)))
        {
            return services;
        }

        var sidecarClient = services.AddHttpClient(DaprSidecar.HttpClientName, (provider, client) =>
            {
                var options = provider.GetRequiredService<IOptions<MessagingOptions>>().Value.Dapr;
                var configuration = provider.GetRequiredService<IConfiguration>();
                client.BaseAddress = new Uri(DaprSidecar.ResolveEndpoint(options, configuration), "/");
                client.Timeout = TimeSpan.FromSeconds(60);
                var token = DaprSidecar.ResolveApiToken(options, configuration);
                if (!string.IsNullOrEmpty(token))
                {
                    client.DefaultRequestHeaders.Add(DaprSidecar.ApiTokenHeader, token);
                }
            });

        // Retrying a publish is the caller's decision (the sensor's backlog, the gateway's spool): a generic
        // retry here would resend whole bulk requests and cut large ones short with its attempt timeout.
#pragma warning disable EXTEXP0001 // Marked experimental, and the documented way to opt one client out of the defaults.
        sidecarClient.RemoveAllResilienceHandlers();
#pragma warning restore EXTEXP0001
        services.AddSingleton<DaprSidecarClient>();
        return services;
    }

    /// <summary>Subscribes <typeparamref name="THandler"/> (a singleton) to <paramref name="topic"/>.</summary>
    public static IServiceCollection AddEventHandler<THandler>(
        this IServiceCollection services, string topic, Action<TopicSubscription>? configure = null)
        where THandler : class, IEventHandler
    {
        TopicName.Validate(topic);
        if (services.Any(d => d.ServiceType == typeof(TopicSubscription) && d.ImplementationInstance is TopicSubscription s && s.Topic == topic))
        {
            throw new InvalidOperationException($"Topic '{topic}' already has a handler; one subscription per topic and app.");
        }

        var subscription = new TopicSubscription { Topic = topic, HandlerType = typeof(THandler) };
        configure?.Invoke(subscription);
        TopicName.Validate(subscription.EffectiveDeadLetterTopic);
        services.TryAddSingleton<THandler>();
        services.AddSingleton(subscription);
        return services;
    }

    /// <summary>Maps the Dapr subscription endpoints when the Dapr transport is configured; nothing otherwise.</summary>
    public static IEndpointRouteBuilder MapMessagingEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var options = endpoints.ServiceProvider.GetRequiredService<IOptions<MessagingOptions>>().Value;
        if (options.Transport == MessagingTransport.Dapr)
        {
            DaprSubscriptionEndpoints.Map(endpoints);
        }

        return endpoints;
    }

    /// <summary>Dapr's APP_ID, else the service name Aspire gives (OTEL_SERVICE_NAME), else the application name.</summary>
    private static string DefaultAppId(IConfiguration configuration, IHostEnvironment environment)
    {
        var candidate = configuration["APP_ID"] ?? configuration["OTEL_SERVICE_NAME"] ?? environment.ApplicationName;
        return candidate.Trim().ToLowerInvariant();
    }
}
