using System.Net.Http.Headers;
using System.Text.Json;
using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Options;

namespace EdgeApp.Messaging.Transports.Dapr;

/// <summary>
/// Publishes through the sidecar's HTTP API with our own CloudEvent (<c>application/cloudevents+json</c>, so
/// Dapr keeps our id, source and trace context): one event per <c>/v1.0/publish</c>, batches via bulk publish.
/// </summary>
internal sealed class DaprPublisher(
    IHttpClientFactory httpClientFactory,
    IOptions<MessagingOptions> options,
    MessagingTelemetry telemetry,
    TimeProvider time) : EventPublisherBase(options, telemetry, time)
{
    private static readonly MediaTypeHeaderValue CloudEventsMediaType = new(CloudEventConstants.CloudEventsContentType);
    private static readonly MediaTypeHeaderValue JsonMediaType = new(CloudEventConstants.JsonContentType);

    private readonly MessagingOptions settings = options.Value;

    protected override string MessagingSystem => DaprSidecar.MessagingSystem;

    protected override async Task SendAsync(string topic, byte[][] envelopes, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(DaprSidecar.HttpClientName);
        var pubsub = Uri.EscapeDataString(settings.PubSubName);
        var escapedTopic = Uri.EscapeDataString(topic);
        if (envelopes.Length == 1 || !settings.Dapr.BulkPublish)
        {
            foreach (var envelope in envelopes)
            {
                using var content = new ByteArrayContent(envelope);
                content.Headers.ContentType = CloudEventsMediaType;
                using var response = await client.PostAsync($"v1.0/publish/{pubsub}/{escapedTopic}", content, cancellationToken).ConfigureAwait(false);
                await EnsureAcceptedAsync(response, topic, 1, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        using var bulk = new ByteArrayContent(BulkPublishBody(envelopes));
        bulk.Headers.ContentType = JsonMediaType;
        using var bulkResponse = await client.PostAsync($"v1.0-alpha1/publish/bulk/{pubsub}/{escapedTopic}", bulk, cancellationToken).ConfigureAwait(false);
        await EnsureAcceptedAsync(bulkResponse, topic, envelopes.Length, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>[{"entryId":"0","event":{…},"contentType":"application/cloudevents+json"}, …]</c>.</summary>
    internal static byte[] BulkPublishBody(byte[][] envelopes)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            for (var i = 0; i < envelopes.Length; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("entryId", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WritePropertyName("event");
                writer.WriteRawValue(envelopes[i], skipInputValidation: true);
                writer.WriteString("contentType", CloudEventConstants.CloudEventsContentType);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return stream.ToArray();
    }

    private static async Task EnsureAcceptedAsync(HttpResponseMessage response, string topic, int count, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new HttpRequestException(
            $"The Dapr sidecar did not accept {count} event(s) for topic '{topic}': {(int)response.StatusCode} {body}",
            inner: null,
            response.StatusCode);
    }
}
