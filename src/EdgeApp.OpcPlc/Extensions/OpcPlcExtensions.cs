using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcPlc.Simulation;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace EdgeApp.OpcPlc.Extensions;

public static class OpcPlcExtensions
{
    /// <summary>
    /// The PLC: options from the "OpcPlc" section with OPC PLC's flags applied over it, validated at start (the
    /// message names the key and the flag), the server, its worker and the readiness check.
    /// </summary>
    public static TBuilder AddOpcPlc<TBuilder>(this TBuilder builder, PlcCommandLine commandLine)
        where TBuilder : IHostApplicationBuilder
    {
        if (commandLine.Errors.Count > 0)
        {
            throw new InvalidOperationException("Invalid OPC PLC options: " + string.Join(" ", commandLine.Errors));
        }

        builder.Configuration.AddInMemoryCollection(commandLine.Settings);
        builder.Services.AddSingleton(commandLine);
        builder.Services.AddOptions<OpcPlcOptions>().BindConfiguration(OpcPlcOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<OpcPlcOptions>, NodesFileValidation>();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new PlcServer(sp.GetRequiredService<IOptions<OpcPlcOptions>>().Value));
        builder.Services.AddSingleton<PlcMetrics>();
        builder.Services.AddHostedService<PlcWorker>();
        builder.Services.AddHealthChecks().AddCheck<PlcHealthCheck>("opc-plc");
        return builder;
    }

    /// <summary><c>/pn.json</c>: the published-nodes file for everything the PLC simulates.</summary>
    public static IEndpointRouteBuilder MapOpcPlcEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/pn.json", (PlcServer plc) => plc.IsListening
            ? Results.Bytes(plc.PublishedNodesJson(), "application/json")
            : Results.Problem("The OPC UA server is not listening yet.", statusCode: StatusCodes.Status503ServiceUnavailable));
        return endpoints;
    }
}

/// <summary>Ready once the opc.tcp listener is open (clients can connect); not ready while the address space is built.</summary>
internal sealed class PlcHealthCheck(PlcServer plc) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(plc.IsListening
            ? HealthCheckResult.Healthy($"Listening on {plc.EndpointUrl}")
            : HealthCheckResult.Unhealthy("The OPC UA server is not listening yet."));
}

/// <summary>A nodes file is read at start, so a broken one stops the app with file, line, column and field.</summary>
internal sealed class NodesFileValidation : IValidateOptions<OpcPlcOptions>
{
    public ValidateOptionsResult Validate(string? name, OpcPlcOptions options)
    {
        if (options.NodesFile is not { Length: > 0 } file || !File.Exists(file))
        {
            return ValidateOptionsResult.Success; // a missing file is reported by the options' own validation
        }

        try
        {
            UserNodesFile.Load(file);

            // NodeIds and folders are checked against the PLC's own nodes by building the address space once (no listener).
            var trial = new PlcServer(options);
            try
            {
                trial.Build();
            }
            finally
            {
                trial.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }

            return ValidateOptionsResult.Success;
        }
        catch (UserNodesFileException ex)
        {
            return ValidateOptionsResult.Fail($"{OpcPlcOptions.Describe("NodesFile")}: {ex.Message}");
        }
    }
}
