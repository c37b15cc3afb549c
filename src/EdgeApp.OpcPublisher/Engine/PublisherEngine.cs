using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Output;
using Microsoft.Extensions.Options;

namespace EdgeApp.OpcPublisher.Engine;

/// <summary>
/// Runs one <see cref="EndpointSession"/> per endpoint of the current configuration. A new configuration is grouped
/// (<see cref="PublishingPlan"/>) and compared with the running one: sessions of endpoints no longer configured are
/// closed, new ones opened, and the others handed their new plan to apply on their live subscriptions.
/// </summary>
public sealed partial class PublisherEngine(
    IOptions<OpcPublisherOptions> options,
    IMessageOutbox outbox,
    PublisherMetrics metrics,
    TimeProvider time,
    ILoggerFactory loggers) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<EndpointIdentity, EndpointSession> _sessions = [];
    private readonly ILogger _logger = loggers.CreateLogger<PublisherEngine>();
    private volatile EndpointSession[] _snapshot = [];
    private bool _disposed;

    internal IReadOnlyList<EndpointSession> Sessions => _snapshot;

    public async Task ApplyAsync(IReadOnlyList<PublishedNodesEntry> entries, CancellationToken cancellationToken)
    {
        var plan = PublishingPlan.Build(entries, options.Value);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var desired = plan.ToDictionary(p => p.Identity);
            foreach (var identity in _sessions.Keys.Where(k => !desired.ContainsKey(k)).ToList())
            {
                var session = _sessions[identity];
                _sessions.Remove(identity);
                _snapshot = [.. _sessions.Values];
                await session.DisposeAsync();
                LogEndpointRemoved(identity.ToString());
            }

            foreach (var (identity, endpoint) in desired)
            {
                if (_sessions.TryGetValue(identity, out var session))
                {
                    session.Update(endpoint);
                }
                else
                {
                    _sessions[identity] = new EndpointSession(endpoint, options.Value, outbox, metrics, time, loggers.CreateLogger<EndpointSession>());
                    LogEndpointAdded(identity.ToString(), endpoint.Writers.Count, endpoint.Writers.Sum(w => w.Nodes.Count));
                }
            }

            _snapshot = [.. _sessions.Values];
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _gate.WaitAsync();
        try
        {
            _disposed = true;
            await Task.WhenAll(_sessions.Values.Select(s => s.DisposeAsync().AsTask()));
            _sessions.Clear();
            _snapshot = [];
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Publishing from {Endpoint}: {Writers} writers, {Nodes} nodes")]
    private partial void LogEndpointAdded(string endpoint, int writers, int nodes);

    [LoggerMessage(Level = LogLevel.Information, Message = "No longer publishing from {Endpoint}")]
    private partial void LogEndpointRemoved(string endpoint);
}
