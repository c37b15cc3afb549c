using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeApp.Sensor.Extensions;

public static class SensorExtensions
{
    public static TBuilder AddSensor<TBuilder>(this TBuilder builder)
        where TBuilder : IHostApplicationBuilder
    {
        builder.Services.AddOptions<SensorOptions>().BindConfiguration(SensorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<SensorMetrics>();
        builder.Services.AddSingleton<SensorWorker>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SensorWorker>());
        builder.Services.AddHealthChecks().AddCheck<SensorHealthCheck>("sensor");
        return builder;
    }
}

/// <summary>
/// Degraded while publishing fails (readings are kept meanwhile). Degraded still answers 200, so the sensor stays
/// ready and alive; the messaging check is what turns it unready when the broker itself is unreachable.
/// </summary>
internal sealed class SensorHealthCheck(SensorWorker worker) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(worker.LastFailure is null
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Degraded("Publishing readings fails: " + worker.LastFailure));
}
