using System.ComponentModel.DataAnnotations;
using Azure.Messaging.EventHubs.Producer;
using EdgeApp.Gateway.Sinks.Dapr;
using EdgeApp.Gateway.Sinks.EventHubs;
using EdgeApp.Messaging.Transports.Dapr;
using Microsoft.Extensions.Options;

namespace EdgeApp.Gateway.Sinks;

public enum SinkType
{
    File,
    EventHubs,
    DaprPubSub,
}

/// <summary>
/// Builds the sinks named under <c>Gateway:Sinks</c>. Every setting is checked when the gateway starts, and each
/// error names the configuration key, so a bad sink never surfaces first at the moment events arrive.
/// </summary>
public static class SinkFactory
{
    public const string SectionName = "Gateway:Sinks";

    /// <summary>The sink definitions: name and type, checked; used at registration time.</summary>
    public static IReadOnlyDictionary<string, SinkType> ReadDefinitions(IConfiguration configuration)
    {
        var definitions = new Dictionary<string, SinkType>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            if (!section.Key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
            {
                errors.Add($"{SectionName}:{section.Key}: a sink name may hold only letters, digits, '-', '_' and '.' (it names the sink's spool directory).");
                continue;
            }

            var typeText = section["Type"];
            if (Enum.TryParse<SinkType>(typeText, ignoreCase: true, out var type) && Enum.IsDefined(type))
            {
                definitions[section.Key] = type;
            }
            else
            {
                errors.Add($"{SectionName}:{section.Key}:Type must be one of {string.Join(", ", Enum.GetNames<SinkType>())}, not '{typeText}'.");
            }
        }

        Throw(errors);
        return definitions;
    }

    public static IEventSink Create(string name, SinkType type, IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        var section = configuration.GetSection($"{SectionName}:{name}");
        return type switch
        {
            SinkType.File => new FileSink(name, Bind<FileSinkOptions>(section), services.GetRequiredService<TimeProvider>()),
            SinkType.EventHubs => CreateEventHubs(name, Bind<EventHubsSinkOptions>(section), configuration, section.Path),
            SinkType.DaprPubSub => new DaprPubSubSink(name, services.GetRequiredService<DaprSidecarClient>(), Bind<DaprPubSubSinkOptions>(section)),
            _ => throw new ArgumentOutOfRangeException(nameof(type), type, null),
        };
    }

    private static EventHubsSink CreateEventHubs(string name, EventHubsSinkOptions options, IConfiguration configuration, string path)
    {
        var connectionString = configuration.GetConnectionString(options.ConnectionName);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Throw([$"{path} needs the connection string ConnectionStrings:{options.ConnectionName}, which is not set."]);
        }

        var clientOptions = new EventHubProducerClientOptions { RetryOptions = options.ToRetryOptions() };
        try
        {
            var producer = string.IsNullOrWhiteSpace(options.EventHubName)
                ? new EventHubProducerClient(connectionString, clientOptions)
                : new EventHubProducerClient(connectionString, options.EventHubName, clientOptions);
            return new EventHubsSink(name, producer, options.MaxBatchBytes);
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException)
        {
            throw new OptionsValidationException(path, typeof(EventHubsSinkOptions), [$"{path}: the Event Hubs connection string or hub name is not usable: {ex.Message}"]);
        }
    }

    private static T Bind<T>(IConfigurationSection section)
        where T : class, new()
    {
        var options = new T();
        try
        {
            section.Bind(options);
        }
        catch (InvalidOperationException ex)
        {
            Throw([$"{section.Path}: {ex.Message}"]);
        }

        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(options, new ValidationContext(options), problems, validateAllProperties: true))
        {
            Throw(problems.Select(p => $"{section.Path}:{p.ErrorMessage}").ToList());
        }

        return options;
    }

    private static void Throw(List<string> errors)
    {
        if (errors.Count > 0)
        {
            throw new OptionsValidationException(SectionName, typeof(SinkFactory), errors);
        }
    }
}
