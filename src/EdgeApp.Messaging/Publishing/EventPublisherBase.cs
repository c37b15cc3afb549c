using System.Diagnostics;
using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Options;

namespace EdgeApp.Messaging;

/// <summary>
/// Wraps payloads in CloudEvents (source = app id, trace context of the current activity) and hands the
/// encoded envelopes to the transport.
/// </summary>
internal abstract class EventPublisherBase(
    IOptions<MessagingOptions> options,
    MessagingTelemetry telemetry,
    TimeProvider time) : IEventPublisher
{
    protected abstract string MessagingSystem { get; }

    public Task PublishAsync(string topic, OutgoingEvent outgoing, CancellationToken cancellationToken = default) =>
        PublishBatchAsync(topic, [outgoing], cancellationToken);

    public async Task PublishBatchAsync(string topic, IReadOnlyList<OutgoingEvent> events, CancellationToken cancellationToken = default)
    {
        TopicName.Validate(topic);
        ArgumentNullException.ThrowIfNull(events);
        if (events.Count == 0)
        {
            return;
        }

        using var activity = MessagingTelemetry.ActivitySource.StartActivity(topic + " publish", ActivityKind.Producer);
        activity?.SetTag("messaging.system", MessagingSystem);
        activity?.SetTag("messaging.operation.type", "send");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.batch.message_count", events.Count);

        var (traceParent, traceState) = TraceContext.From(activity ?? Activity.Current);
        var settings = options.Value;
        var context = new EnvelopeContext(settings.AppId, settings.PubSubName, topic, traceParent, traceState, time.GetUtcNow());
        var envelopes = new byte[events.Count][];
        for (var i = 0; i < envelopes.Length; i++)
        {
            envelopes[i] = CloudEventWriter.ToArray(events[i], context);
        }

        var topicTag = new KeyValuePair<string, object?>("topic", topic);
        try
        {
            await SendAsync(topic, envelopes, cancellationToken).ConfigureAwait(false);
            telemetry.Published.Add(envelopes.Length, topicTag);
        }
        catch (Exception ex)
        {
            telemetry.PublishFailed.Add(envelopes.Length, topicTag);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
            throw;
        }
    }

    /// <summary>Delivers encoded CloudEvents; completes only when the broker accepted every one.</summary>
    protected abstract Task SendAsync(string topic, byte[][] envelopes, CancellationToken cancellationToken);
}
