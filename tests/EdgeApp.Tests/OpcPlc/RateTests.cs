using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Simulation;
using EdgeApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>The worker drives every family at its rate, one timer per rate, on a clock the test advances.</summary>
public sealed class RateTests
{
    [Fact]
    public async Task Worker_UpdatesEachSetAtItsRate_WithOneTimerPerRate()
    {
        var options = TestPlc.NewOptions(o =>
        {
            o.CycleTimeMs = 100;
            o.Fast.RateMs = 100;
            o.Slow.RateMs = 500;
        });
        var plc = new PlcServer(options);
        var time = new FakeTimeProvider(TestPlc.Start);
        using var meters = new TestMeterFactory();
        var worker = new PlcWorker(plc, Options.Create(options), PlcCommandLine.Parse([]), new PlcMetrics(meters), time, NullLogger<PlcWorker>.Instance);
        await worker.StartAsync(CancellationToken.None);
        try
        {
            await Eventually.TrueAsync(() => plc.IsListening, TimeSpan.FromSeconds(20), "the PLC listens");
            var groups = PlcWorker.Group(plc.Families);
            Assert.Equal([100.0, 500, 1000], groups.Select(g => g.Period.TotalMilliseconds));
            Assert.Equal(["cycle", "cycle", "fast"], groups[0].Families.Select(f => f.Name));
            await Eventually.TrueAsync(() => worker.RunningTimers == groups.Count, TimeSpan.FromSeconds(10), "every timer runs");

            var fast = plc.Fast!.Nodes[0];
            for (var step = 1u; step <= 10; step++)
            {
                time.Advance(TimeSpan.FromMilliseconds(100));
                await Eventually.TrueAsync(() => fast.ReadValue().Value.Get<uint>() == step, TimeSpan.FromSeconds(10), $"fast tick {step}");
            }

            await Eventually.TrueAsync(() => plc.Slow!.Nodes[0].ReadValue().Value.Get<uint>() == 2, TimeSpan.FromSeconds(10), "two slow ticks in 1 s at 500 ms");
            await Eventually.TrueAsync(() => plc.Basic!.StepUp.Value == 10, TimeSpan.FromSeconds(10), "ten cycles in 1 s at 100 ms");
            await Eventually.TrueAsync(() => plc.Boiler!.Current.Bottom == 21, TimeSpan.FromSeconds(10), "one boiler tick in 1 s");

            Assert.Equal(10u, fast.ReadValue().Value.Get<uint>());
            Assert.Equal(TestPlc.Start.AddSeconds(1), fast.ReadValue().SourceTimestamp);
            Assert.Equal(TestPlc.Start.AddSeconds(1), plc.Slow!.Nodes[0].ReadValue().SourceTimestamp);
        }
        finally
        {
            await worker.StopAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(15));
            worker.Dispose();
        }

        Assert.False(plc.IsListening);
    }

    [Fact]
    public async Task Worker_FailsToStart_WhenThePortIsTaken_NamingTheOption()
    {
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
            var options = TestPlc.NewOptions(o => o.Port = port);
            await using var plc = new PlcServer(options);

            var error = await Assert.ThrowsAsync<InvalidOperationException>(() => plc.StartAsync());
            Assert.Contains($"OpcPlc:Port (--pn): port {port} is already in use", error.Message, StringComparison.Ordinal);
            Assert.False(plc.IsListening);
        }
        finally
        {
            listener.Stop();
        }
    }
}
