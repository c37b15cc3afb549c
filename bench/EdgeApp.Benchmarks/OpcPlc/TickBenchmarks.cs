using BenchmarkDotNet.Attributes;
using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Simulation;

namespace EdgeApp.Benchmarks.OpcPlc;

/// <summary>
/// One update tick of a fast node set (what the PLC's timer does every <c>--vfr</c> ms): read each node's value,
/// compute the next one, store it with a timestamp. Scalar types allocate nothing; UIntArray makes one new 32-element
/// array per node (values handed to readers are immutable).
/// </summary>
[MemoryDiagnoser]
public class TickBenchmarks
{
    private PlcServer _plc = null!;
    private DateTime _now;

    [Params(10_000, 100_000)]
    public int Nodes { get; set; }

    [Params(SlowFastType.UInt, SlowFastType.Double, SlowFastType.Bool, SlowFastType.UIntArray)]
    public SlowFastType Type { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var options = new OpcPlcOptions { Port = 0, ListenOnAnyAddress = false, Hostname = "localhost", Seed = 1 };
        options.Fast.Count = Nodes;
        options.Fast.Type = Type;
        _plc = new PlcServer(options);
        _plc.Build();
        _now = DateTime.UtcNow;
    }

    [Benchmark]
    public void Tick()
    {
        _now = _now.AddMilliseconds(100);
        _plc.Fast!.Tick(_now);
    }

    [GlobalCleanup]
    public void Cleanup() => _plc.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
