using System.Globalization;

namespace EdgeApp.Benchmarks;

/// <summary>Harness options given as <c>--name value</c> pairs.</summary>
public sealed class HarnessArgs(Dictionary<string, string> values)
{
    public static HarnessArgs Parse(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < args.Length; i++)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Length)
            {
                throw new ArgumentException($"Expected '--name value' pairs, got '{args[i]}'.");
            }

            values[args[i][2..]] = args[++i];
        }

        return new HarnessArgs(values);
    }

    public int Int(string name, int fallback) =>
        values.TryGetValue(name, out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    public bool Bool(string name, bool fallback) =>
        values.TryGetValue(name, out var text) ? bool.Parse(text) : fallback;

    public string Text(string name, string fallback) => values.GetValueOrDefault(name, fallback);
}
