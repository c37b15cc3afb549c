using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeApp.Gateway.Diagnostics;

/// <summary>
/// The gateway's instruments ("EdgeApp.Gateway"). Undecodable messages never reach the gateway's handler: the
/// messaging layer dead-letters them and counts them in <c>edgeapp.messaging.dead_lettered</c>.
/// </summary>
public sealed class GatewayMetrics
{
    public const string Name = "EdgeApp.Gateway";

    public static readonly ActivitySource ActivitySource = new(Name);

    public GatewayMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(Name);
        Received = meter.CreateCounter<long>("edgeapp.gateway.received", "{event}", "Events handed to the gateway, redeliveries included.");
        Written = meter.CreateCounter<long>("edgeapp.gateway.written", "{event}", "Events a sink made durable (directly or from its spool).");
        Spooled = meter.CreateCounter<long>("edgeapp.gateway.spooled", "{event}", "Events stored in a sink's spool because the sink could not take them.");
        Failed = meter.CreateCounter<long>("edgeapp.gateway.failed", "{event}", "Events a sink did not take; they are delivered again.");
        DeadLettered = meter.CreateCounter<long>("edgeapp.gateway.dead_lettered", "{event}", "Events the gateway refused for good.");
        Lag = meter.CreateHistogram<double>("edgeapp.gateway.lag", "ms", "From the event's time to durable in a sink.");
    }

    public Counter<long> Received { get; }

    public Counter<long> Written { get; }

    public Counter<long> Spooled { get; }

    public Counter<long> Failed { get; }

    public Counter<long> DeadLettered { get; }

    public Histogram<double> Lag { get; }
}
