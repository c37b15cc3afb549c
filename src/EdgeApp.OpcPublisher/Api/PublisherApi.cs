using System.Buffers;
using System.Text.Json;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Engine;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.OpcPublisher.Output;

namespace EdgeApp.OpcPublisher.Api;

/// <summary>
/// OPC Publisher's configuration API over HTTP, with its routes and payloads (api.md of OPC Publisher 2.9):
/// <list type="bullet">
/// <item><c>GET /v2/configuration[?IncludeNodes=true]</c> GetConfiguredEndpoints: <c>{"Endpoints": [entry]}</c></item>
/// <item><c>PUT /v2/configuration</c> SetConfiguredEndpoints: <c>{"Endpoints": [entry]}</c> replaces everything</item>
/// <item><c>POST /v2/configuration/nodes</c> PublishNodes: an entry; its nodes are added to (or updated in) the writer</item>
/// <item><c>POST /v2/configuration/nodes/unpublish</c> UnpublishNodes: an entry; its nodes are removed (404 if absent)</item>
/// <item><c>POST /v2/configuration/nodes/unpublish/all</c> UnpublishAllNodes: an entry (its writer, or its endpoint when no writer is named) or nothing (everything)</item>
/// <item><c>POST /v2/configuration/endpoints/list/nodes</c> GetConfiguredNodesOnEndpoint: an entry; <c>{"OpcNodes": [node]}</c></item>
/// <item><c>POST|GET /v2/configuration/diagnostics</c> GetDiagnosticInfo: per endpoint and writer, state and nodes not monitored</item>
/// </list>
/// Changes are validated as the file is, applied to the live subscriptions and written back to the published-nodes
/// file. With a URL as the source the API is read-only (409), as the next fetch would undo changes.
/// </summary>
public static class PublisherApi
{
    public static IEndpointRouteBuilder MapPublisherApi(this IEndpointRouteBuilder endpoints)
    {
        var api = endpoints.MapGroup("/v2/configuration");
        api.MapGet(string.Empty, (PublishedNodesStore store, bool? includeNodes) => Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("Endpoints");
            foreach (var entry in store.Entries)
            {
                PublishedNodesWriter.WriteEntry(writer, entry, includeNodes ?? false);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
        api.MapPut(string.Empty, SetConfiguredEndpointsAsync);
        api.MapPost("/nodes", PublishNodesAsync);
        api.MapPost("/nodes/unpublish", UnpublishNodesAsync);
        api.MapPost("/nodes/unpublish/all", UnpublishAllNodesAsync);
        api.MapPost("/endpoints/list/nodes", GetConfiguredNodesOnEndpointAsync);
        api.MapMethods("/diagnostics", ["GET", "POST"], (PublisherEngine engine, PublishedNodesStore store, PublisherMetrics metrics, ForwarderState forwarder) => Diagnostics(engine, store, metrics, forwarder));
        return endpoints;
    }

    private static Task<IResult> PublishNodesAsync(HttpRequest request, PublishedNodesStore store, CancellationToken cancellationToken) =>
        ChangeWithEntryAsync(request, store, (entries, entry) =>
        {
            var index = entries.FindIndex(e => e.SameWriterAs(entry));
            if (index < 0)
            {
                entries.Add(entry with { Position = null });
                return null;
            }

            var nodes = entries[index].OpcNodes.ToList();
            foreach (var node in entry.OpcNodes)
            {
                var existing = nodes.FindIndex(n => n.Key == node.Key);
                if (existing >= 0)
                {
                    nodes[existing] = node;
                }
                else
                {
                    nodes.Add(node);
                }
            }

            entries[index] = entries[index] with { OpcNodes = nodes };
            return null;
        }, cancellationToken);

    private static Task<IResult> UnpublishNodesAsync(HttpRequest request, PublishedNodesStore store, CancellationToken cancellationToken) =>
        ChangeWithEntryAsync(request, store, (entries, entry) =>
        {
            var index = entries.FindIndex(e => e.SameWriterAs(entry));
            if (index < 0)
            {
                return "NotFound: no entry with this endpoint, DataSetWriterGroup, DataSetWriterId and DataSetPublishingInterval.";
            }

            var keys = entry.OpcNodes.Select(n => n.Key).ToHashSet(StringComparer.Ordinal);
            var missing = keys.Where(k => entries[index].OpcNodes.All(n => n.Key != k)).ToList();
            if (missing.Count > 0)
            {
                return "NotFound: nodes not published in this entry: " + string.Join(", ", missing);
            }

            entries[index] = entries[index] with { OpcNodes = entries[index].OpcNodes.Where(n => !keys.Contains(n.Key)).ToList() };
            return null;
        }, cancellationToken);

    /// <summary>Reads the body as an entry with nodes (400 when it is not one), then applies <paramref name="edit"/> to the configuration.</summary>
    private static async Task<IResult> ChangeWithEntryAsync(
        HttpRequest request, PublishedNodesStore store, Func<List<PublishedNodesEntry>, PublishedNodesEntry, string?> edit, CancellationToken cancellationToken)
    {
        var (entry, error) = await ReadEntryAsync(request, requireNodes: true, cancellationToken);
        return error ?? await ChangeAsync(store, entries => edit(entries, entry!), cancellationToken);
    }

    private static async Task<IResult> UnpublishAllNodesAsync(HttpRequest request, PublishedNodesStore store, CancellationToken cancellationToken)
    {
        PublishedNodesEntry? entry = null;
        if (request.ContentLength is null or > 0)
        {
            var body = await ReadBodyAsync(request, cancellationToken);
            if (body.Length > 0 && !IsEmptyObject(body))
            {
                var (parsed, error) = Parse(body, requireNodes: false);
                if (error is not null)
                {
                    return error;
                }

                entry = parsed;
            }
        }

        return await ChangeAsync(store, entries =>
        {
            if (entry is null)
            {
                entries.Clear();
                return null;
            }

            var wholeEndpoint = entry.DataSetWriterGroup is null && entry.DataSetWriterId is null;
            var removed = entries.RemoveAll(e => wholeEndpoint ? e.SameEndpointAs(entry) : e.SameWriterAs(entry));
            return removed == 0 ? "NotFound: nothing is published for this endpoint and writer." : null;
        }, cancellationToken);
    }

    private static async Task<IResult> SetConfiguredEndpointsAsync(HttpRequest request, PublishedNodesStore store, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(request, cancellationToken);
        IReadOnlyList<PublishedNodesEntry> replacement;
        try
        {
            // {"Endpoints": [...]} as OPC Publisher takes it; a bare array as in the file is accepted too.
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            var root = document.RootElement;
            var array = root.ValueKind == JsonValueKind.Array
                ? root
                : root.ValueKind != JsonValueKind.Object
                ? default
                : root.EnumerateObject().FirstOrDefault(p => p.NameEquals("Endpoints") || p.Name.Equals("endpoints", StringComparison.OrdinalIgnoreCase)).Value;
            if (array.ValueKind != JsonValueKind.Array)
            {
                return Results.Problem("Expected {\"Endpoints\": [ ...entries ]}.", statusCode: StatusCodes.Status400BadRequest);
            }

            replacement = PublishedNodesParser.Parse(System.Text.Encoding.UTF8.GetBytes(array.GetRawText()), "request body Endpoints").Entries;
        }
        catch (JsonException ex)
        {
            return Results.Problem("request body: malformed JSON: " + ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }
        catch (PublishedNodesException ex)
        {
            return Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest);
        }

        return await ChangeAsync(store, entries =>
        {
            entries.Clear();
            entries.AddRange(replacement);
            return null;
        }, cancellationToken);
    }

    private static async Task<IResult> GetConfiguredNodesOnEndpointAsync(HttpRequest request, PublishedNodesStore store, CancellationToken cancellationToken)
    {
        var (entry, error) = await ReadEntryAsync(request, requireNodes: false, cancellationToken);
        if (error is not null)
        {
            return error;
        }

        var matching = store.Entries.Where(e => entry!.DataSetWriterGroup is null && entry.DataSetWriterId is null ? e.SameEndpointAs(entry) : e.SameWriterAs(entry)).ToList();
        if (matching.Count == 0)
        {
            return Results.Problem("No entry is configured for this endpoint.", statusCode: StatusCodes.Status404NotFound);
        }

        return Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("OpcNodes");
            foreach (var node in matching.SelectMany(e => e.OpcNodes))
            {
                PublishedNodesWriter.WriteNode(writer, node);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        });
    }

    private static IResult Diagnostics(PublisherEngine engine, PublishedNodesStore store, PublisherMetrics metrics, ForwarderState forwarder) => Json(writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("ConfigurationError", store.LastError);
        writer.WriteString("ForwardingError", forwarder.LastFailure);
        writer.WriteNumber("ValuesReceived", metrics.TotalReceived);
        writer.WriteNumber("ValuesSpooled", metrics.TotalSpooled);
        writer.WriteNumber("ValuesForwarded", metrics.TotalForwarded);
        writer.WriteNumber("HeartbeatsSent", metrics.TotalHeartbeats);
        writer.WriteNumber("DataGaps", metrics.TotalGaps);
        writer.WriteNumber("ValuesDropped", metrics.TotalDropped);
        var gc = GC.GetGCMemoryInfo();
        writer.WriteNumber("GcHeapBytes", gc.HeapSizeBytes);
        writer.WriteNumber("GcCommittedBytes", gc.TotalCommittedBytes);
        writer.WriteNumber("WorkingSetBytes", Environment.WorkingSet);
        writer.WriteStartArray("Endpoints");
        foreach (var session in engine.Sessions)
        {
            writer.WriteStartObject();
            writer.WriteString("EndpointUrl", session.Identity.EndpointUrl);
            writer.WriteString("SecurityMode", session.Identity.SecurityMode);
            writer.WriteString("State", session.State.ToString());
            writer.WriteString("ApplicationUri", session.ApplicationUri);
            writer.WriteString("LastError", session.LastError);
            writer.WriteNumber("ConnectAttempts", session.ConnectAttempts);
            writer.WriteStartArray("Writers");
            foreach (var writerSubscription in session.Writers)
            {
                var plan = writerSubscription.Plan;
                var nodes = writerSubscription.Nodes;
                writer.WriteStartObject();
                writer.WriteString("DataSetWriterGroup", plan.Key.Group);
                writer.WriteString("DataSetWriterName", plan.Name);
                writer.WriteNumber("DataSetWriterId", plan.Ordinal);
                writer.WriteNumber("PublishingIntervalMs", plan.Key.PublishingInterval.TotalMilliseconds);
                writer.WriteNumber("MonitoredNodes", nodes.Count(n => n.Item is not null));
                writer.WriteStartArray("FailedNodes");
                foreach (var node in nodes.Where(n => n.Item is null))
                {
                    writer.WriteStartObject();
                    writer.WriteString("Id", node.Plan.Config.Id);
                    writer.WritePropertyName("StatusCode");
                    UaJson.WriteStatusCode(writer, node.Status);
                    writer.WriteString("Error", node.Error);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });

    private static async Task<IResult> ChangeAsync(PublishedNodesStore store, Func<List<PublishedNodesEntry>, string?> edit, CancellationToken cancellationToken)
    {
        if (store.File is null)
        {
            return Results.Problem("The configuration comes from OpcPublisher:PublishedNodesUrl; change it there.", statusCode: StatusCodes.Status409Conflict);
        }

        var problem = await store.ChangeAsync(edit, cancellationToken);
        return problem switch
        {
            null => Results.Json(new { }),
            _ when problem.StartsWith("NotFound: ", StringComparison.Ordinal) => Results.Problem(problem["NotFound: ".Length..], statusCode: StatusCodes.Status404NotFound),
            _ => Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest),
        };
    }

    private static async Task<(PublishedNodesEntry? Entry, IResult? Error)> ReadEntryAsync(HttpRequest request, bool requireNodes, CancellationToken cancellationToken) =>
        Parse(await ReadBodyAsync(request, cancellationToken), requireNodes);

    private static (PublishedNodesEntry? Entry, IResult? Error) Parse(byte[] body, bool requireNodes)
    {
        try
        {
            return (PublishedNodesParser.ParseEntry(body, "request body", requireNodes), null);
        }
        catch (PublishedNodesException ex)
        {
            return (null, Results.Problem(ex.Message, statusCode: StatusCodes.Status400BadRequest));
        }
    }

    private static async Task<byte[]> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var memory = new MemoryStream();
        await request.Body.CopyToAsync(memory, cancellationToken);
        return memory.ToArray();
    }

    private static bool IsEmptyObject(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && !document.RootElement.EnumerateObject().Any();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static IResult Json(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            write(writer);
        }

        return Results.Bytes(buffer.WrittenSpan.ToArray(), "application/json");
    }
}
