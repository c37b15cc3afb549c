using System.Text;
using EdgeApp.Deploy.Endpoints;

namespace EdgeApp.Deploy.Expressions;

/// <summary>
/// A manifest string after resolution: literal text and secret references (never secret values), plus what it
/// depends on (endpoints for network policies, parameters for external services).
/// </summary>
public sealed record ResolvedValue
{
    public static readonly ResolvedValue Empty = new([], new HashSet<ServiceEndpoint>(), new HashSet<string>());

    public ResolvedValue(IReadOnlyList<ValuePart> parts, IReadOnlySet<ServiceEndpoint> uses, IReadOnlySet<string> parameters, string? omitReason = null)
    {
        Parts = Merge(parts);
        Uses = uses;
        Parameters = parameters;
        OmitReason = omitReason;
    }

    public IReadOnlyList<ValuePart> Parts { get; }

    /// <summary>In-cluster endpoints this value points at.</summary>
    public IReadOnlySet<ServiceEndpoint> Uses { get; }

    /// <summary>Parameter resources this value is built from.</summary>
    public IReadOnlySet<string> Parameters { get; }

    /// <summary>Set when the value cannot exist in the cluster (e.g. it names a project's https endpoint).</summary>
    public string? OmitReason { get; }

    public bool HasSecrets => Parts.OfType<SecretPart>().Any();

    public IEnumerable<SecretPart> Secrets => Parts.OfType<SecretPart>();

    /// <summary>The value when it is exactly one secret and nothing else.</summary>
    public SecretPart? SingleSecret => Parts is [SecretPart only] ? only : null;

    /// <summary>The text of a value without secrets.</summary>
    public string Text => HasSecrets
        ? throw new InvalidOperationException("a value with secret parts has no plain text")
        : string.Concat(Parts.Cast<LiteralPart>().Select(p => p.Text));

    public static ResolvedValue Literal(string text) => new([new LiteralPart(text)], new HashSet<ServiceEndpoint>(), new HashSet<string>());

    public static ResolvedValue Omitted(string reason) => new([], new HashSet<ServiceEndpoint>(), new HashSet<string>(), reason);

    public static ResolvedValue Concat(IEnumerable<ResolvedValue> values)
    {
        var list = values.ToList();
        return new ResolvedValue(
            list.SelectMany(v => v.Parts).ToList(),
            list.SelectMany(v => v.Uses).ToHashSet(),
            list.SelectMany(v => v.Parameters).ToHashSet(StringComparer.Ordinal),
            list.Select(v => v.OmitReason).FirstOrDefault(r => r is not null));
    }

    public ResolvedValue MapLiterals(Func<string, string> map) =>
        new(Parts.Select(p => p is LiteralPart l ? new LiteralPart(map(l.Text)) : p).ToList(), Uses, Parameters, OmitReason);

    public ResolvedValue WithParameter(string parameter) =>
        new(Parts, Uses, new HashSet<string>(Parameters, StringComparer.Ordinal) { parameter }, OmitReason);

    public override string ToString()
    {
        var text = new StringBuilder();
        foreach (var part in Parts)
        {
            text.Append(part switch
            {
                LiteralPart l => l.Text,
                SecretPart s => $"<secret {s.SecretName}/{s.Key}>",
                _ => "",
            });
        }

        return text.ToString();
    }

    private static List<ValuePart> Merge(IReadOnlyList<ValuePart> parts)
    {
        var merged = new List<ValuePart>();
        foreach (var part in parts)
        {
            if (part is LiteralPart { Text.Length: 0 })
            {
                continue;
            }

            if (part is LiteralPart next && merged.Count > 0 && merged[^1] is LiteralPart previous)
            {
                merged[^1] = new LiteralPart(previous.Text + next.Text);
            }
            else
            {
                merged.Add(part);
            }
        }

        return merged;
    }
}
