namespace EdgeApp.Benchmarks;

/// <summary>An end-to-end measurement run by name rather than by BenchmarkDotNet.</summary>
public interface IHarness
{
    string Name { get; }

    Task<int> RunAsync(string[] args);
}

/// <summary>Runs harnesses: <c>dotnet run -c Release --project bench/EdgeApp.Benchmarks -- harness NAME [options]</c>.</summary>
public static class Harnesses
{
    public static bool TryRun(string[] args, out int exitCode)
    {
        exitCode = 0;
        if (args.Length == 0 || args[0] != "harness")
        {
            return false;
        }

        var all = typeof(Harnesses).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IHarness).IsAssignableFrom(t))
            .Select(t => (IHarness)Activator.CreateInstance(t)!)
            .ToDictionary(h => h.Name, StringComparer.OrdinalIgnoreCase);

        if (args.Length < 2 || !all.TryGetValue(args[1], out var harness))
        {
            Console.Error.WriteLine($"usage: harness NAME [options]; known: {string.Join(", ", all.Keys.Order())}");
            exitCode = 2;
            return true;
        }

        exitCode = harness.RunAsync(args[2..]).GetAwaiter().GetResult();
        return true;
    }
}
