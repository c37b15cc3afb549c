using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeApp.Messaging;
using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Extensions;
using EdgeApp.Tests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using StackExchange.Redis;

namespace EdgeApp.Tests.OpcPublisher;

/// <summary>The app as Program.cs composes it (Redis Streams transport, spool on disk): file watch, API, restarts.</summary>
public sealed class PublisherAppTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private static string Entries(TestUaServer server, params string[] names) =>
        $$"""[{"EndpointUrl": "{{server.EndpointUrl}}", "DataSetWriterGroup": "g", "DataSetPublishingInterval": 50, "OpcNodes": [{{string.Join(",", names.Select(n => $$"""{"Id": "{{TestUaServer.Id(n)}}", "DataSetFieldId": "{{n}}", "OpcSamplingInterval": 10}"""))}}]}]""";

    [Fact]
    public async Task File_ChangesApplyWithoutRestart_AndAnInvalidFileKeepsTheLastGoodConfiguration()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await TestUaServer.StartAsync();
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "pn.json");
        await File.WriteAllTextAsync(file, Entries(server, "Counter"));
        await using var app = await PublisherApp.StartAsync(redis, directory.Path, $"--pf={file}");

        await Eventually.TrueAsync(async () => (await app.MonitoredAsync()) == 1, Wait, "one node monitored");
        Assert.Equal("Healthy", await app.HealthAsync());

        await File.WriteAllTextAsync(file, Entries(server, "Counter").Replace("\"DataSetPublishingInterval\": 50", "\"DataSetPublishingInterval\": \"often\"", StringComparison.Ordinal));
        await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("ConfigurationError").ValueKind == JsonValueKind.String, Wait, "the error is reported");
        var error = (await app.DiagnosticsAsync()).GetProperty("ConfigurationError").GetString()!;
        Assert.Equal("Degraded", await app.HealthAsync());
        Assert.StartsWith($"{file}: line 1, column ", error, StringComparison.Ordinal);
        Assert.Contains("[0].DataSetPublishingInterval: expected a whole number, found \"often\"", error, StringComparison.Ordinal);
        var received = (await app.DiagnosticsAsync()).GetProperty("ValuesReceived").GetInt64();
        server.Counter.Value += 5;
        await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("ValuesReceived").GetInt64() > received, Wait, "the last good configuration still publishes");

        await File.WriteAllTextAsync(file, Entries(server, "Counter", "Level", "Constant"));
        await Eventually.TrueAsync(async () => (await app.MonitoredAsync()) == 3, Wait, "three nodes after the fix");
        Assert.Equal("Healthy", await app.HealthAsync());
    }

    [Fact]
    public async Task File_BrieflyMissing_ThenBackWithTheSameContent_ClearsTheError()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await TestUaServer.StartAsync();
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "pn.json");
        var content = Entries(server, "Counter");
        await File.WriteAllTextAsync(file, content);
        await using var app = await PublisherApp.StartAsync(redis, directory.Path, $"--pf={file}");
        await Eventually.TrueAsync(async () => (await app.MonitoredAsync()) == 1, Wait, "one node monitored");

        File.Delete(file);
        await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("ConfigurationError").ValueKind == JsonValueKind.String, Wait, "the missing file is reported");
        Assert.Equal("Degraded", await app.HealthAsync());

        await File.WriteAllTextAsync(file, content);
        await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("ConfigurationError").ValueKind == JsonValueKind.Null, Wait, "the error cleared");
        Assert.Equal(1, await app.MonitoredAsync());

        // Health also follows the broker and the endpoint, which a loaded machine can make briefly Degraded.
        await Eventually.TrueAsync(async () => await app.HealthAsync() == "Healthy", Wait, "healthy again");
    }

    [Fact]
    public async Task Api_PublishesListsAndUnpublishesNodes_AndWritesTheFile()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await TestUaServer.StartAsync();
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "pn.json");
        await File.WriteAllTextAsync(file, "[]");
        await using var app = await PublisherApp.StartAsync(redis, directory.Path, $"--pf={file}");

        var entry = $$"""{"EndpointUrl": "{{server.EndpointUrl}}", "DataSetWriterGroup": "g", "DataSetWriterId": "w", "OpcNodes": [{"Id": "{{TestUaServer.Id("Counter")}}"}, {"Id": "{{TestUaServer.Id("Level")}}"}]}""";
        var published = await app.Http.PostAsync("/v2/configuration/nodes", Json(entry));
        Assert.Equal(HttpStatusCode.OK, published.StatusCode);
        await Eventually.TrueAsync(async () => (await app.MonitoredAsync()) == 2, Wait, "two nodes monitored");

        var endpoints = JsonDocument.Parse(await app.Http.GetStringAsync("/v2/configuration")).RootElement.GetProperty("Endpoints");
        Assert.Equal(server.EndpointUrl, Assert.Single(endpoints.EnumerateArray()).GetProperty("EndpointUrl").GetString());
        Assert.False(endpoints[0].TryGetProperty("OpcNodes", out _));
        var nodes = await app.Http.PostAsync("/v2/configuration/endpoints/list/nodes", Json($$"""{"EndpointUrl": "{{server.EndpointUrl}}", "DataSetWriterGroup": "g", "DataSetWriterId": "w"}"""));
        var ids = JsonDocument.Parse(await nodes.Content.ReadAsStringAsync()).RootElement.GetProperty("OpcNodes").EnumerateArray().Select(n => n.GetProperty("Id").GetString()).ToList();
        Assert.Equal([TestUaServer.Id("Counter"), TestUaServer.Id("Level")], ids);

        var unpublished = await app.Http.PostAsync("/v2/configuration/nodes/unpublish", Json(entry.Replace($$""", {"Id": "{{TestUaServer.Id("Level")}}"}""", string.Empty, StringComparison.Ordinal)));
        Assert.Equal(HttpStatusCode.OK, unpublished.StatusCode);
        await Eventually.TrueAsync(async () => (await app.MonitoredAsync()) == 1, Wait, "one node left");
        var written = PublishedNodesParser.Parse(await File.ReadAllBytesAsync(file), file).Entries;
        Assert.Equal([TestUaServer.Id("Level")], Assert.Single(written).OpcNodes.Select(n => n.Id));

        var missing = await app.Http.PostAsync("/v2/configuration/nodes/unpublish", Json(entry));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        var invalid = await app.Http.PostAsync("/v2/configuration/nodes", Json("""{"EndpointUrl": "opc.tcp://x:1", "OpcNodes": [{"Id": 5}]}"""));
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
        Assert.Contains("OpcNodes[0].Id: expected a string", await invalid.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var all = await app.Http.PostAsync("/v2/configuration/nodes/unpublish/all", Json("{}"));
        Assert.Equal(HttpStatusCode.OK, all.StatusCode);
        await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("Endpoints").GetArrayLength() == 0, Wait, "nothing published");
        Assert.Empty(PublishedNodesParser.Parse(await File.ReadAllBytesAsync(file), file).Entries);
    }

    [Fact]
    public async Task Spool_KeepsWhatWasReceived_ThroughABrokerOutageAndAPublisherRestart()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var server = await TestUaServer.StartAsync();
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "pn.json");
        await File.WriteAllTextAsync(file, Entries(server, "Counter"));
        var app = await PublisherApp.StartAsync(redis, directory.Path, $"--pf={file}");
        try
        {
            await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("ValuesForwarded").GetInt64() >= 1, Wait, "the first value reaches Redis");

            await redis.StopAsync();
            for (var i = 0; i < 20; i++)
            {
                server.Counter.Value++;
                await Task.Delay(20);
            }

            await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("ValuesSpooled").GetInt64() >= 21, Wait, "all values are spooled");
            await Eventually.TrueAsync(async () => (await app.DiagnosticsAsync()).GetProperty("ForwardingError").ValueKind == JsonValueKind.String, Wait, "the outage is reported");
            Assert.True((await app.DiagnosticsAsync()).GetProperty("ValuesForwarded").GetInt64() < 21, "nothing reached the stopped broker");
        }
        finally
        {
            await app.DisposeAsync();
        }

        // The values received while the broker was down are on disk only; the next start sends them.
        await redis.StartAgainAsync();
        await File.WriteAllTextAsync(file, "[]");
        await using var restarted = await PublisherApp.StartAsync(redis, directory.Path, $"--pf={file}");
        await using var connection = await redis.ConnectAsync();
        await Eventually.TrueAsync(async () => Counters(await connection.GetDatabase().StreamRangeAsync("telemetry")).Contains(20u), Wait, "the spooled values arrive after the restart");

        var counters = Counters(await connection.GetDatabase().StreamRangeAsync("telemetry"));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => (uint)i), counters.Where(c => c > 0).Distinct());
    }

    private static List<uint> Counters(StreamEntry[] entries) =>
        entries.Select(e => JsonDocument.Parse((string)e["data"]!).RootElement)
            .SelectMany(ce => ce.GetProperty("data").GetProperty("Messages").EnumerateArray())
            .Where(m => m.GetProperty("Payload").TryGetProperty("Counter", out _))
            .Select(m => m.GetProperty("Payload").GetProperty("Counter").GetProperty("Value").GetUInt32())
            .ToList();

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}

public sealed class TempDirectory : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("edgeapp-pub-").FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Leftovers in the temp folder are harmless.
        }
    }
}

/// <summary>The publisher app on a free HTTP port with Redis Streams messaging and its spool under <c>dataDirectory</c>.</summary>
public sealed class PublisherApp : IAsyncDisposable
{
    private PublisherApp(WebApplication app)
    {
        App = app;
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Http = new HttpClient { BaseAddress = new Uri(address), Timeout = TimeSpan.FromSeconds(15) };
    }

    public WebApplication App { get; }

    public HttpClient Http { get; }

    public static async Task<PublisherApp> StartAsync(RedisServer redis, string dataDirectory, params string[] args)
    {
        var commandLine = PublisherCommandLine.Parse(
        [
            .. args,
            $"--ConnectionStrings:redis={redis.ConnectionString}",
            "--Messaging:Transport=RedisStreams",
            "--Messaging:AppId=opc-publisher",
            $"--Spool:Directory={System.IO.Path.Combine(dataDirectory, "spool")}",
            "--Spool:FlushToDisk=false",
            "--OpcPublisher:PublisherId=test",
            "--OpcPublisher:InitialRetryDelayMs=100",
            "--OpcPublisher:MaxRetryDelayMs=500",
        ]);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = [.. commandLine.HostArgs], ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.AddServiceDefaults();
        builder.AddMessaging();
        builder.AddOpcPublisher(commandLine);
        var app = builder.Build();
        app.MapDefaultEndpoints();
        app.MapMessagingEndpoints();
        app.MapOpcPublisherEndpoints();
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        return new PublisherApp(app);
    }

    public async Task<string> HealthAsync() => await Http.GetStringAsync("/health");

    public async Task<JsonElement> DiagnosticsAsync() =>
        JsonDocument.Parse(await Http.GetStringAsync("/v2/configuration/diagnostics")).RootElement.Clone();

    public async Task<int> MonitoredAsync() =>
        (await DiagnosticsAsync()).GetProperty("Endpoints").EnumerateArray()
            .SelectMany(e => e.GetProperty("Writers").EnumerateArray()).Sum(w => w.GetProperty("MonitoredNodes").GetInt32());

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await App.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await App.DisposeAsync();
    }
}
