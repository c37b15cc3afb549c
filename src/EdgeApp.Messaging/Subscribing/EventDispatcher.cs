using System.Diagnostics;
using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeApp.Messaging;

/// <summary>A message as the broker delivered it, before it is known to be a CloudEvent.</summary>
internal readonly record struct InboundMessage(string MessageId, ReadOnlyMemory<byte> Body, int DeliveryCount);

/// <summary>The fate of one inbound message; <see cref="Reason"/> says why it is dropped.</summary>
internal readonly record struct DeliveryOutcome(DeliveryStatus Status, string? Reason = null);

/// <summary>
/// Turns inbound messages into handler calls, for every transport: decodes CloudEvents (undecodable ones are
/// dropped with a reason), continues the producer's trace, and maps exceptions to retries.
/// </summary>
internal sealed partial class EventDispatcher(
    IServiceProvider services,
    MessagingTelemetry telemetry,
    ILogger<EventDispatcher> logger)
{
    private const int MaxLinks = 32;

    private static readonly string[] StatusNames = [nameof(DeliveryStatus.Success), nameof(DeliveryStatus.Retry), nameof(DeliveryStatus.Drop)];

    public async Task<DeliveryOutcome[]> DispatchAsync(
        TopicSubscription subscription,
        string messagingSystem,
        IReadOnlyList<InboundMessage> messages,
        CancellationToken cancellationToken)
    {
        var outcomes = new DeliveryOutcome[messages.Count];
        var events = new List<ReceivedEvent>(messages.Count);
        var positions = new List<int>(messages.Count);
        for (var i = 0; i < messages.Count; i++)
        {
            var message = messages[i];
            try
            {
                var cloudEvent = CloudEventReader.Parse(message.Body);
                events.Add(new ReceivedEvent(cloudEvent, subscription.Topic, message.MessageId, message.DeliveryCount));
                positions.Add(i);
            }
            catch (CloudEventFormatException ex)
            {
                LogUndecodable(subscription.Topic, message.MessageId, ex.Message);
                outcomes[i] = new DeliveryOutcome(DeliveryStatus.Drop, "undecodable: " + ex.Message);
            }
        }

        var topicTag = new KeyValuePair<string, object?>("topic", subscription.Topic);
        telemetry.Received.Add(messages.Count, topicTag);
        if (events.Count > 0)
        {
            var statuses = await HandleAsync(subscription, messagingSystem, events, cancellationToken).ConfigureAwait(false);
            for (var i = 0; i < statuses.Length; i++)
            {
                outcomes[positions[i]] = new DeliveryOutcome(statuses[i], statuses[i] == DeliveryStatus.Drop ? "dropped by handler" : null);
            }
        }

        // One measurement per status and batch, not per event: this runs for every delivered message.
        Span<int> perStatus = stackalloc int[3];
        foreach (var outcome in outcomes)
        {
            perStatus[(int)outcome.Status]++;
        }

        for (var status = 0; status < perStatus.Length; status++)
        {
            if (perStatus[status] > 0)
            {
                telemetry.Handled.Add(perStatus[status], topicTag, new("status", StatusNames[status]));
            }
        }

        return outcomes;
    }

    private async Task<DeliveryStatus[]> HandleAsync(
        TopicSubscription subscription,
        string messagingSystem,
        List<ReceivedEvent> events,
        CancellationToken cancellationToken)
    {
        var statuses = new DeliveryStatus[events.Count];
        Array.Fill(statuses, DeliveryStatus.Retry);
        using var activity = StartProcessActivity(subscription.Topic, messagingSystem, events);
        try
        {
            var handler = (IEventHandler)services.GetRequiredService(subscription.HandlerType);
            await handler.HandleBatchAsync(events, statuses, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // Whatever the handler did not finish is delivered again.
            LogHandlerFailed(ex, subscription.Topic, events.Count);
            activity?.SetStatus(ActivityStatusCode.Error, ex.Message);
        }

        return statuses;
    }

    private static Activity? StartProcessActivity(string topic, string messagingSystem, List<ReceivedEvent> events)
    {
        if (!MessagingTelemetry.ActivitySource.HasListeners())
        {
            return null;
        }

        // Events published together share a trace: continue the first one and link the others.
        var first = events[0].Event;
        var parent = TraceContext.Parse(first.TraceParent, first.TraceState);
        var links = new List<ActivityLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { first.TraceParent ?? string.Empty };
        foreach (var received in events)
        {
            var traceParent = received.Event.TraceParent;
            if (links.Count < MaxLinks && traceParent is not null && seen.Add(traceParent))
            {
                var context = TraceContext.Parse(traceParent, received.Event.TraceState);
                if (context != default)
                {
                    links.Add(new ActivityLink(context));
                }
            }
        }

        var activity = MessagingTelemetry.ActivitySource.StartActivity(
            topic + " process", ActivityKind.Consumer, parent, links: links);
        activity?.SetTag("messaging.system", messagingSystem);
        activity?.SetTag("messaging.operation.type", "process");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.batch.message_count", events.Count);
        activity?.SetTag("messaging.message.id", first.Id);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on topic {Topic} is not a usable CloudEvent and is dead-lettered: {Reason}")]
    private partial void LogUndecodable(string topic, string messageId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Handler for topic {Topic} failed on a batch of {Count}; unfinished events will be redelivered")]
    private partial void LogHandlerFailed(Exception exception, string topic, int count);
}
