using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcPlc.Simulation;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>A family whose tick throws is logged a few times and never silences or stops the others.</summary>
public sealed class TickFailureTests
{
    private sealed class Family(string name, bool fails) : ISimulatedNodes
    {
        public string Name => name;

        public TimeSpan Period => TimeSpan.FromMilliseconds(100);

        public int Ticks { get; private set; }

        public void Tick(DateTime now)
        {
            Ticks++;
            if (fails || (name == "late" && Ticks > 50))
            {
                throw new InvalidOperationException(name);
            }
        }
    }

    [Fact]
    public void FailuresAreCountedPerFamily()
    {
        var broken = new Family("broken", fails: true);
        var late = new Family("late", fails: false);
        var healthy = new Family("healthy", fails: false);
        ISimulatedNodes[] families = [broken, late, healthy];
        var failures = new int[families.Length];
        var logged = new List<string>();
        for (var tick = 0; tick < 60; tick++)
        {
            PlcWorker.TickAll(families, failures, DateTime.UtcNow, (_, name) => logged.Add(name));
        }

        Assert.Equal(60, healthy.Ticks);
        Assert.Equal(10, logged.Count(n => n == "broken"));
        Assert.Equal(10, logged.Count(n => n == "late")); // its failures start after "broken" used up 10: still logged
    }
}
