using System.Net.Http.Headers;
using System.Text.Json;

namespace EdgeApp.Messaging.Transports.Dapr;

/// <summary>
/// Publishes ready-made CloudEvents through the sidecar's HTTP API (<c>application/cloudevents+json</c>, so Dapr
/// keeps their id, source and trace context): one event per <c>/v1.0/publish</c>, several via bulk publish.
/// </summary>
public sealed class DaprSidecarClient(IHttpClientFactory httpClientFactory)
{
    private static readonly MediaTypeHeaderValue CloudEventsMediaType = new(CloudEventConstants.CloudEventsContentType);
    private static readonly MediaTypeHeaderValue JsonMediaType = new(CloudEventConstants.JsonContentType);

    public async Task PublishAsync(
        string pubSubName, string topic, IReadOnlyList<ReadOnlyMemory<byte>> envelopes, bool bulk, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(DaprSidecar.HttpClientName);
        var pubsub = Uri.EscapeDataString(pubSubName);
        var escapedTopic = Uri.EscapeDataString(topic);
        if (envelopes.Count == 1 || !bulk)
        {
            foreach (var envelope in envelopes)
            {
                using var content = new ReadOnlyMemoryContent(envelope);
                content.Headers.ContentType = CloudEventsMediaType;
                using var response = await client.PostAsync($"v1.0/publish/{pubsub}/{escapedTopic}", content, cancellationToken).ConfigureAwait(false);
                await EnsureAcceptedAsync(response, pubSubName, topic, 1, cancellationToken).ConfigureAwait(false);
            }

            return;
        }

        foreach (var part in SplitBySize(envelopes))
        {
            using var bulkContent = new ByteArrayContent(BulkPublishBody(part));
            bulkContent.Headers.ContentType = JsonMediaType;

            // Without keep-order, brokers lacking a native bulk publish (pubsub.redis among them) publish entries in parallel.
            using var bulkResponse = await client.PostAsync(
                $"v1.0-alpha1/publish/bulk/{pubsub}/{escapedTopic}?metadata.bulkPublishKeepOrder=true", bulkContent, cancellationToken).ConfigureAwait(false);
            await EnsureAcceptedAsync(bulkResponse, pubSubName, topic, part.Count, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Bulk requests stay under the sidecar's default 4 MB body limit (daprd --max-body-size).</summary>
    internal const int MaxBulkBodyBytes = 3 * 1024 * 1024;

    private static IEnumerable<IReadOnlyList<ReadOnlyMemory<byte>>> SplitBySize(IReadOnlyList<ReadOnlyMemory<byte>> envelopes)
    {
        var part = new List<ReadOnlyMemory<byte>>();
        var bytes = 0;
        foreach (var envelope in envelopes)
        {
            // ~80 bytes of entry wrapping per event.
            if (part.Count > 0 && bytes + envelope.Length + 80 > MaxBulkBodyBytes)
            {
                yield return part;
                part = [];
                bytes = 0;
            }

            part.Add(envelope);
            bytes += envelope.Length + 80;
        }

        if (part.Count > 0)
        {
            yield return part;
        }
    }

    /// <summary><c>[{"entryId":"0","event":{…},"contentType":"application/cloudevents+json"}, …]</c>.</summary>
    internal static byte[] BulkPublishBody(IReadOnlyList<ReadOnlyMemory<byte>> envelopes)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartArray();
            for (var i = 0; i < envelopes.Count; i++)
            {
                writer.WriteStartObject();
                writer.WriteString("entryId", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
                writer.WritePropertyName("event");
                writer.WriteRawValue(envelopes[i].Span, skipInputValidation: true);
                writer.WriteString("contentType", CloudEventConstants.CloudEventsContentType);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        return stream.ToArray();
    }

    private static async Task EnsureAcceptedAsync(
        HttpResponseMessage response, string pubSubName, string topic, int count, CancellationToken cancellationToken)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        throw new HttpRequestException(
            $"The Dapr sidecar did not accept {count} event(s) for {pubSubName}/{topic}: {(int)response.StatusCode} {body}",
            inner: null,
            response.StatusCode);
    }
}
