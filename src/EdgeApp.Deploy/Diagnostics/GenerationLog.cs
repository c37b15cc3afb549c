namespace EdgeApp.Deploy.Diagnostics;

/// <summary>Collects warnings raised while generating; the command prints them and tests assert on them.</summary>
public sealed class GenerationLog
{
    private readonly List<string> _warnings = [];

    public IReadOnlyList<string> Warnings => _warnings;

    public void Warn(string resource, string message)
    {
        var text = $"resource '{resource}': {message}";
        if (!_warnings.Contains(text))
        {
            _warnings.Add(text);
        }
    }
}
