using EdgeApp.Sensor.Simulation;

namespace EdgeApp.Tests.Sensor;

public class MachineSimulatorTests
{
    [Fact]
    public void SameSeed_GivesTheSameReadings()
    {
        var now = DateTimeOffset.UnixEpoch;
        var first = new MachineSimulator("m", new Random(42));
        var second = new MachineSimulator("m", new Random(42));

        for (var i = 1; i <= 100; i++)
        {
            var reading = first.Next(now);
            Assert.Equal(reading, second.Next(now), ReadingComparer.Instance);
            Assert.Equal(i, reading.Sequence);
        }
    }

    [Fact]
    public void Readings_StayInTheirBounds_OverALongRun()
    {
        var machine = new MachineSimulator("m", new Random(7));

        for (var i = 0; i < 100_000; i++)
        {
            var reading = machine.Next(DateTimeOffset.UnixEpoch);
            Assert.InRange(reading.Machine.Temperature, 20, 110);
            Assert.InRange(reading.Machine.Pressure, 1, 10);
            Assert.InRange(reading.Ambient.Temperature, 15, 35);
            Assert.InRange(reading.Ambient.Pressure, 980, 1040);
        }
    }

    [Fact]
    public void Walk_MovesInSmallSteps_NotUniformNoise()
    {
        var walk = new BoundedRandomWalk(0, 100, 50, stepSigma: 0.5);
        var random = new Random(1);
        var previous = walk.Value;
        var steps = new List<double>();
        var values = new List<double>();

        for (var i = 0; i < 10_000; i++)
        {
            var value = walk.Step(random);
            steps.Add(Math.Abs(value - previous));
            values.Add(value);
            previous = value;
        }

        // Uniform noise over [0, 100] would jump ~33 on average; a walk moves well under its sigma per step.
        Assert.True(steps.Average() < 1.0, $"mean step {steps.Average():F2}");
        Assert.True(values.Max() - values.Min() > 5, "the walk explores its range rather than standing still");
    }

    private sealed class ReadingComparer : IEqualityComparer<TelemetryMessage>
    {
        public static readonly ReadingComparer Instance = new();

        public bool Equals(TelemetryMessage? x, TelemetryMessage? y) =>
            x is not null && y is not null && x.MachineId == y.MachineId && x.Machine == y.Machine && x.Ambient == y.Ambient;

        public int GetHashCode(TelemetryMessage obj) => obj.MachineId.GetHashCode(StringComparison.Ordinal);
    }
}
