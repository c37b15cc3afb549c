using EdgeApp.OpcPublisher.Configuration;
using EdgeApp.OpcPublisher.Engine;
using EdgeApp.OpcPublisher.Output;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace EdgeApp.OpcPublisher.Diagnostics;

/// <summary>
/// Healthy when the configuration is valid, every endpoint is connected, every node monitored and messages reach the
/// broker. Anything else is Degraded (still ready: other endpoints keep publishing), with the reasons in the
/// description and per-endpoint state in the data.
/// </summary>
internal sealed class PublisherHealthCheck(PublishedNodesStore store, PublisherEngine engine, ForwarderState forwarder) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        var data = new Dictionary<string, object>();
        if (store.LastError is { } configuration)
        {
            problems.Add(store.Loaded ? "configuration change refused (last good runs): " + configuration : "no configuration: " + configuration);
        }

        foreach (var session in engine.Sessions)
        {
            var failed = session.Writers.SelectMany(w => w.Nodes).Where(n => n.Item is null).ToList();
            data[session.Identity.EndpointUrl] = session.State + (failed.Count > 0 ? $", {failed.Count} nodes not monitored" : string.Empty);
            if (session.State != EndpointState.Connected)
            {
                problems.Add($"{session.Identity.EndpointUrl} {session.State}: {session.LastError}");
            }

            foreach (var writer in session.Writers)
            {
                if (writer.RecentFailure is { } writerFailure)
                {
                    problems.Add($"writer {writer.Plan.Key} dropped values in the last minute: {writerFailure}");
                }
            }

            foreach (var node in failed.Take(5))
            {
                data[session.Identity.EndpointUrl + " " + node.Plan.Config.Id] = node.Status.ToString();
                problems.Add(node.Error ?? $"{node.Plan.Config.Id}: {node.Status}");
            }
        }

        if (forwarder.LastFailure is { } failure)
        {
            problems.Add("publishing to the broker fails (messages wait in the spool): " + failure);
        }

        return Task.FromResult(problems.Count == 0
            ? HealthCheckResult.Healthy($"{engine.Sessions.Count} endpoints connected", data)
            : HealthCheckResult.Degraded(string.Join("; ", problems), data: data));
    }
}
