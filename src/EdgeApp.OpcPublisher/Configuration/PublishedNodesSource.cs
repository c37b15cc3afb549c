using EdgeApp.OpcPublisher.Engine;
using Microsoft.Extensions.Options;

namespace EdgeApp.OpcPublisher.Configuration;

/// <summary>
/// Feeds the store: the file is checked every second (size and write time, then content) so edits, replacements and
/// volume updates apply without a restart; a URL is fetched at start (retried until it answers) and again every
/// <see cref="OpcPublisherOptions.PublishedNodesRefreshSeconds"/>. At stop it closes the engine's sessions (their
/// last messages go into the spool) before the spool closes.
/// </summary>
public sealed partial class PublishedNodesSource(
    PublishedNodesStore store,
    PublisherEngine engine,
    IHttpClientFactory httpClients,
    IOptions<OpcPublisherOptions> options,
    TimeProvider time) : BackgroundService
{
    public const string HttpClientName = "published-nodes";

    /// <summary>Largest published-nodes document read (a file or a URL's answer): 64 MiB, far above 100,000 nodes.</summary>
    public const int MaxDocumentBytes = 64 << 20;

    private static readonly TimeSpan FilePollInterval = TimeSpan.FromSeconds(1);

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        options.Value.PublishedNodesUrl is { Length: > 0 } url ? FetchAsync(new Uri(url), stoppingToken) : WatchAsync(options.Value.PublishedNodesFile!, stoppingToken);

    private async Task WatchAsync(string file, CancellationToken stoppingToken)
    {
        (long Length, DateTime Written)? seen = null;
        var reportedMissing = false;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                var info = new FileInfo(file);
                if (!info.Exists)
                {
                    if (!reportedMissing)
                    {
                        store.ReportUnreadable(file, "the file does not exist (it is read once it appears)");
                        reportedMissing = true;
                    }
                }
                else
                {
                    reportedMissing = false;
                    var stamp = (info.Length, info.LastWriteTimeUtc);
                    if (seen != stamp && info.Length > MaxDocumentBytes)
                    {
                        seen = stamp;
                        store.ReportUnreadable(file, $"the file has {info.Length:N0} bytes, more than the {MaxDocumentBytes:N0} read");
                    }
                    else if (seen != stamp)
                    {
                        var content = await File.ReadAllBytesAsync(file, stoppingToken);
                        seen = stamp;
                        await store.LoadAsync(content, file, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Whatever the file holds or the disk does, the watch goes on and the last good configuration runs.
                store.ReportUnreadable(file, ex.Message);
            }

            await Task.Delay(FilePollInterval, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private async Task FetchAsync(Uri url, CancellationToken stoppingToken)
    {
        var refresh = TimeSpan.FromSeconds(options.Value.PublishedNodesRefreshSeconds);
        var retry = TimeSpan.FromSeconds(1);
        while (!stoppingToken.IsCancellationRequested)
        {
            var fetched = false;
            try
            {
                using var client = httpClients.CreateClient(HttpClientName);
                using var response = await client.GetAsync(url, stoppingToken);
                response.EnsureSuccessStatusCode();
                var content = await response.Content.ReadAsByteArrayAsync(stoppingToken);
                await store.LoadAsync(content, url.ToString(), stoppingToken);
                fetched = true;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // A failed fetch, a timeout or an oversized answer: keep the last good configuration and try again.
                store.ReportUnreadable(url.ToString(), ex.Message);
            }

            var wait = fetched || store.Loaded ? refresh : retry;
            retry = TimeSpan.FromSeconds(Math.Min(retry.TotalSeconds * 2, 30));
            await Task.Delay(wait, time, stoppingToken).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await engine.DisposeAsync();
    }
}
