using BenchmarkDotNet.Running;

// `dotnet run -c Release --project bench/EdgeApp.Benchmarks -- --filter '*'` runs the micro-benchmarks;
// named harnesses (see bench/README.md) run the end-to-end measurements.
if (EdgeApp.Benchmarks.Harnesses.TryRun(args, out var exitCode))
{
    return exitCode;
}

BenchmarkSwitcher.FromAssembly(typeof(EdgeApp.Benchmarks.Harnesses).Assembly).Run(args);
return 0;
