using System.IO.Enumeration;
using EdgeApp.Messaging;

namespace EdgeApp.Gateway.Routing;

/// <summary>Decides, per event, which sinks get it: the union of the sinks of every matching route.</summary>
public sealed class Router(IReadOnlyList<RouteOptions> routes)
{
    /// <summary>The sinks for each event (by index) in a batch, and the events no route matched.</summary>
    public RoutePlan Plan(IReadOnlyList<ReceivedEvent> batch)
    {
        var bySink = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        var unroutable = new List<int>();
        for (var i = 0; i < batch.Count; i++)
        {
            var routed = false;
            foreach (var sink in SinksFor(batch[i]))
            {
                if (!bySink.TryGetValue(sink, out var indexes))
                {
                    bySink[sink] = indexes = [];
                }

                if (indexes.Count == 0 || indexes[^1] != i)
                {
                    indexes.Add(i);
                }

                routed = true;
            }

            if (!routed)
            {
                unroutable.Add(i);
            }
        }

        return new RoutePlan(bySink, unroutable);
    }

    public IEnumerable<string> SinksFor(ReceivedEvent received)
    {
        foreach (var route in routes)
        {
            if (Matches(route.Topics, received.Topic)
                && Matches(route.Types, received.Event.Type)
                && Matches(route.Sources, received.Event.Source))
            {
                foreach (var sink in route.Sinks ?? [])
                {
                    yield return sink;
                }
            }
        }
    }

    private static bool Matches(List<string>? patterns, string value) =>
        patterns is not { Count: > 0 } || patterns.Any(p => FileSystemName.MatchesSimpleExpression(p, value, ignoreCase: false));
}

public sealed record RoutePlan(IReadOnlyDictionary<string, List<int>> BySink, IReadOnlyList<int> Unroutable);
