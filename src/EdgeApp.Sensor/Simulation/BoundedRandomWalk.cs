namespace EdgeApp.Sensor.Simulation;

/// <summary>
/// A random walk held inside [min, max]: Gaussian steps, a gentle pull towards a target, and reflection at
/// the bounds, so values drift like a physical quantity instead of jumping like uniform noise.
/// </summary>
public sealed class BoundedRandomWalk(double min, double max, double start, double stepSigma, double reversion = 0.02)
{
    public double Min { get; } = min;

    public double Max { get; } = max;

    public double Value { get; private set; } = Math.Clamp(start, min, max);

    /// <summary>Takes one step towards <paramref name="target"/> (the middle of the range when null).</summary>
    public double Step(Random random, double? target = null)
    {
        var pull = ((target ?? (Min + Max) / 2) - Value) * reversion;
        var next = Value + pull + (Gaussian(random) * stepSigma);
        if (next > Max)
        {
            next = Max - (next - Max);
        }

        if (next < Min)
        {
            next = Min + (Min - next);
        }

        Value = Math.Clamp(next, Min, Max);
        return Value;
    }

    private static double Gaussian(Random random)
    {
        // Box-Muller: 1 - NextDouble() keeps the logarithm's argument in (0, 1].
        var u1 = 1.0 - random.NextDouble();
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}
