using System.Collections.Concurrent;
using EdgeApp.Messaging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeApp.Tests.Messaging;

/// <summary>Starts a small ASP.NET app on a loopback port; used for an app with the Dapr transport and for a stand-in sidecar.</summary>
internal static class LoopbackApp
{
    public static async Task<(WebApplication App, Uri Address)> StartAsync(Action<WebApplicationBuilder> configure, Action<WebApplication> map)
    {
        var builder = WebApplication.CreateBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        configure(builder);
        var app = builder.Build();
        map(app);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(20));
        var address = app.Services.GetRequiredService<IServer>().Features.GetRequiredFeature<IServerAddressesFeature>().Addresses.First();
        return (app, new Uri(address));
    }
}

/// <summary>Stands in for daprd's HTTP API: records publish requests and answers as the sidecar would.</summary>
internal sealed class FakeSidecar : IAsyncDisposable
{
    private WebApplication app = null!;

    public ConcurrentQueue<(string Path, string ContentType, byte[] Body, string? Token)> Requests { get; } = new();

    public int PublishStatus { get; set; } = StatusCodes.Status204NoContent;

    public Uri Address { get; private set; } = null!;

    public static async Task<FakeSidecar> StartAsync()
    {
        var sidecar = new FakeSidecar();
        (sidecar.app, sidecar.Address) = await LoopbackApp.StartAsync(_ => { }, app =>
        {
            app.MapGet("/v1.0/healthz/outbound", () => Results.NoContent());
            app.MapPost("/{**path}", async (HttpContext context) =>
            {
                using var body = new MemoryStream();
                await context.Request.Body.CopyToAsync(body);
                sidecar.Requests.Enqueue((
                    context.Request.Path + context.Request.QueryString,
                    context.Request.ContentType ?? string.Empty,
                    body.ToArray(),
                    context.Request.Headers["dapr-api-token"].FirstOrDefault()));
                return Results.StatusCode(sidecar.PublishStatus);
            });
        });
        return sidecar;
    }

    public async ValueTask DisposeAsync() => await app.DisposeAsync();
}
