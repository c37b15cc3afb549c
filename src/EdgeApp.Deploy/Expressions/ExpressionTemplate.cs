using System.Text.RegularExpressions;

namespace EdgeApp.Deploy.Expressions;

/// <summary>
/// Splits a manifest string into literal text and <c>{resource.property.path}</c> placeholders. Braces that do not
/// hold a dotted path (JSON, Dapr's own <c>{appID}</c> templates) stay literal.
/// </summary>
public static partial class ExpressionTemplate
{
    public abstract record Segment;

    public sealed record Text(string Value) : Segment;

    public sealed record Placeholder(string Resource, IReadOnlyList<string> Path) : Segment
    {
        public override string ToString() => $"{{{Resource}.{string.Join('.', Path)}}}";
    }

    public static IReadOnlyList<Segment> Parse(string template)
    {
        var segments = new List<Segment>();
        var last = 0;
        foreach (Match match in PlaceholderPattern().Matches(template))
        {
            if (match.Index > last)
            {
                segments.Add(new Text(template[last..match.Index]));
            }

            var parts = match.Groups["path"].Value.Split('.');
            segments.Add(new Placeholder(parts[0], parts[1..]));
            last = match.Index + match.Length;
        }

        if (last < template.Length)
        {
            segments.Add(new Text(template[last..]));
        }

        return segments;
    }

    public static bool HasPlaceholders(string template) => PlaceholderPattern().IsMatch(template);

    [GeneratedRegex(@"\{(?<path>[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)+)\}")]
    private static partial Regex PlaceholderPattern();
}
