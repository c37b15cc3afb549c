using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace EdgeApp.Messaging.Diagnostics;

/// <summary>The activity source and instruments of the messaging layer ("EdgeApp.Messaging").</summary>
public sealed class MessagingTelemetry : IDisposable
{
    public const string Name = "EdgeApp.Messaging";

    public static readonly ActivitySource ActivitySource = new(Name);

    private readonly Meter meter;

    public MessagingTelemetry(IMeterFactory meterFactory)
    {
        meter = meterFactory.Create(Name);
        Published = meter.CreateCounter<long>("edgeapp.messaging.published", "{event}", "Events handed to the broker.");
        PublishFailed = meter.CreateCounter<long>("edgeapp.messaging.publish_failed", "{event}", "Events the broker did not accept.");
        Received = meter.CreateCounter<long>("edgeapp.messaging.received", "{event}", "Events delivered to a handler, including redeliveries.");
        Handled = meter.CreateCounter<long>("edgeapp.messaging.handled", "{event}", "Handler outcomes by status.");
        DeadLettered = meter.CreateCounter<long>("edgeapp.messaging.dead_lettered", "{event}", "Events moved to a dead-letter topic.");
        Redelivered = meter.CreateCounter<long>("edgeapp.messaging.redelivered", "{event}", "Pending events delivered again (retries, restarts, reclaims).");
        Trimmed = meter.CreateCounter<long>("edgeapp.messaging.trimmed", "{event}", "Pending events whose content was trimmed from the stream before they were handled.");
    }

    public Counter<long> Published { get; }

    public Counter<long> PublishFailed { get; }

    public Counter<long> Received { get; }

    public Counter<long> Handled { get; }

    public Counter<long> DeadLettered { get; }

    public Counter<long> Redelivered { get; }

    public Counter<long> Trimmed { get; }

    public void Dispose() => meter.Dispose();
}
