namespace EdgeApp.Deploy.Diagnostics;

/// <summary>
/// A generation error that names the manifest resource and field it comes from, so the message tells the
/// user exactly what to fix in the AppHost or on the command line.
/// </summary>
public sealed class DeployException(string resource, string field, string problem)
    : Exception($"resource '{resource}', field '{field}': {problem}")
{
    public string Resource { get; } = resource;

    public string Field { get; } = field;

    public string Problem { get; } = problem;
}
