using System.Diagnostics;
using EdgeApp.Tests.OpcUa.Fuzz;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// A long fuzzing campaign of the server's receive path (the CI test's fuzzer, more inputs):
/// <c>harness opcua-fuzz [--inputs 2000000] [--seed 1] [--workers 2]</c>. Each worker has its own seed (seed + worker)
/// and server; findings print with the input in hex; the exit code is the number of findings (0 = clean).
/// </summary>
public sealed class FuzzHarness : IHarness
{
    public string Name => "opcua-fuzz";

    public async Task<int> RunAsync(string[] args)
    {
        var options = HarnessArgs.Parse(args);
        var inputs = (long)options.Int("inputs", 2_000_000);
        var seed = options.Int("seed", 1);
        var workers = options.Int("workers", Environment.ProcessorCount);
        var watch = Stopwatch.StartNew();
        var results = await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(() =>
        {
            using var fuzzer = new ProtocolFuzzer(seed + w);
            var each = inputs / workers;
            for (long done = 0; done < each;)
            {
                var chunk = Math.Min(100_000, each - done);
                fuzzer.Run(chunk);
                done += chunk;
                Console.WriteLine($"worker {w}: {done:N0} inputs, {fuzzer.ProtocolErrors:N0} rejected, {fuzzer.RequestsDispatched:N0} dispatched, {fuzzer.Findings.Count} findings, {watch.Elapsed.TotalSeconds:F0} s");
            }

            return (fuzzer.Inputs, fuzzer.ProtocolErrors, fuzzer.RequestsDispatched, fuzzer.MaxAllocatedPerInput, fuzzer.MaxTimePerInput, Findings: fuzzer.Findings.ToArray(), fuzzer.CorpusSize);
        })));

        var total = results.Sum(r => r.Inputs);
        Console.WriteLine();
        Console.WriteLine($"seed {seed}, {workers} workers, corpus {results[0].CorpusSize} frames");
        Console.WriteLine($"inputs {total:N0} in {watch.Elapsed.TotalSeconds:F1} s ({total / watch.Elapsed.TotalSeconds:N0}/s)");
        Console.WriteLine($"rejected with a protocol error {results.Sum(r => r.ProtocolErrors):N0}, requests dispatched to handlers {results.Sum(r => r.RequestsDispatched):N0}");
        Console.WriteLine($"max allocated by one input {results.Max(r => r.MaxAllocatedPerInput):N0} bytes, max time {results.Max(r => r.MaxTimePerInput).TotalMilliseconds:F1} ms");
        Console.WriteLine($"process peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1 << 20)} MiB");
        var findings = results.SelectMany(r => r.Findings).ToArray();
        Console.WriteLine($"findings: {findings.Length}");
        foreach (var finding in findings.Take(20))
        {
            Console.WriteLine(finding);
        }

        return findings.Length;
    }
}
