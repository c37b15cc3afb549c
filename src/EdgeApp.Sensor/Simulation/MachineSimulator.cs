namespace EdgeApp.Sensor.Simulation;

/// <summary>
/// One simulated machine: its temperature wanders between 20 and 110 °C, its pressure follows the temperature,
/// and the ambient air drifts slowly around room conditions.
/// </summary>
public sealed class MachineSimulator
{
    private readonly Random random;
    private readonly BoundedRandomWalk machineTemperature;
    private readonly BoundedRandomWalk machinePressure;
    private readonly BoundedRandomWalk ambientTemperature;
    private readonly BoundedRandomWalk ambientPressure;

    public MachineSimulator(string machineId, Random random)
    {
        MachineId = machineId;
        this.random = random;
        machineTemperature = new BoundedRandomWalk(20, 110, 20 + (random.NextDouble() * 40), stepSigma: 0.8, reversion: 0.01);
        machinePressure = new BoundedRandomWalk(1, 10, 2, stepSigma: 0.05, reversion: 0.1);
        ambientTemperature = new BoundedRandomWalk(15, 35, 21, stepSigma: 0.05, reversion: 0.005);
        ambientPressure = new BoundedRandomWalk(980, 1040, 1013, stepSigma: 0.2, reversion: 0.005);
    }

    public string MachineId { get; }

    /// <summary>How many readings this machine has produced; each reading carries its number, so gaps show.</summary>
    public long Sequence { get; private set; }

    public TelemetryMessage Next(DateTimeOffset now)
    {
        Sequence++;
        var temperature = machineTemperature.Step(random);
        // Hotter machines run at higher pressure: 1 bar at 20 °C up to 10 bar at 110 °C.
        var pressure = machinePressure.Step(random, target: 1 + ((temperature - 20) / 10));
        return new TelemetryMessage(
            MachineId,
            Sequence,
            now,
            new Conditions(Round(temperature), Round(pressure)),
            new Conditions(Round(ambientTemperature.Step(random)), Round(ambientPressure.Step(random))));
    }

    private static double Round(double value) => Math.Round(value, 3);
}
