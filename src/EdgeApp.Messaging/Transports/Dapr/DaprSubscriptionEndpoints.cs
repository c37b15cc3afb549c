using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeApp.Messaging.Transports.Dapr;

/// <summary>
/// The app side of Dapr's programmatic subscriptions: <c>GET /dapr/subscribe</c> lists topics and routes, and each
/// route answers a delivery with SUCCESS, RETRY or DROP (bulk deliveries with one status per entry).
/// </summary>
internal static class DaprSubscriptionEndpoints
{
    public const string RoutePrefix = "/dapr/events/";

    public static void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/dapr/subscribe", (IEnumerable<TopicSubscription> subscriptions, IOptions<MessagingOptions> options) =>
            Results.Bytes(SubscribeBody(subscriptions, options.Value), CloudEventConstants.JsonContentType));

        foreach (var subscription in endpoints.ServiceProvider.GetServices<TopicSubscription>())
        {
            endpoints.MapPost(RoutePath(subscription.Topic), (HttpContext context, EventDispatcher dispatcher) =>
                DeliverAsync(context, subscription, dispatcher));
        }
    }

    public static string RoutePath(string topic) => RoutePrefix + Uri.EscapeDataString(topic);

    internal static byte[] SubscribeBody(IEnumerable<TopicSubscription> subscriptions, MessagingOptions options)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            foreach (var subscription in subscriptions)
            {
                writer.WriteStartObject();
                writer.WriteString("pubsubname", options.PubSubName);
                writer.WriteString("topic", subscription.Topic);
                writer.WriteString("route", RoutePath(subscription.Topic));
                writer.WriteString("deadLetterTopic", subscription.EffectiveDeadLetterTopic);
                if (options.Dapr.BulkSubscribe)
                {
                    writer.WriteStartObject("bulkSubscribe");
                    writer.WriteBoolean("enabled", true);
                    writer.WriteNumber("maxMessagesCount", options.Dapr.BulkSubscribeMaxMessages);
                    writer.WriteNumber("maxAwaitDurationMs", options.Dapr.BulkSubscribeMaxAwaitMilliseconds);
                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return stream.ToArray();
    }

    private static async Task<IResult> DeliverAsync(HttpContext context, TopicSubscription subscription, EventDispatcher dispatcher)
    {
        var body = await ReadBodyAsync(context.Request).ConfigureAwait(false);
        var bulk = DaprBulkMessage.TryParse(body, out var entries, out var problem);
        if (problem is not null)
        {
            return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest);
        }

        IReadOnlyList<InboundMessage> messages = bulk ? entries : [new InboundMessage(string.Empty, body, 1)];
        var outcomes = await dispatcher.DispatchAsync(subscription, DaprSidecar.MessagingSystem, messages, context.RequestAborted).ConfigureAwait(false);
        var response = bulk ? DaprBulkMessage.ResponseBody(entries, outcomes) : SingleResponseBody(outcomes[0].Status);
        return Results.Bytes(response, CloudEventConstants.JsonContentType);
    }

    private static byte[] SingleResponseBody(DeliveryStatus status) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new Dictionary<string, string> { ["status"] = StatusText(status) },
            MessagingJsonContext.Default.DictionaryStringString);

    internal static string StatusText(DeliveryStatus status) => status switch
    {
        DeliveryStatus.Success => "SUCCESS",
        DeliveryStatus.Drop => "DROP",
        _ => "RETRY",
    };

    private static async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted).ConfigureAwait(false);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }
}
