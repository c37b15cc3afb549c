namespace EdgeApp.Benchmarks;

/// <summary>Collects a known number of latency samples (ms) and completes when all have arrived.</summary>
public sealed class LatencyRecorder(int expected)
{
    private readonly double[] samples = new double[expected];
    private readonly TaskCompletionSource completed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int count;

    public Task Completed => completed.Task;

    public int Count => Volatile.Read(ref count);

    public void Record(double milliseconds)
    {
        var index = Interlocked.Increment(ref count) - 1;
        if (index < samples.Length)
        {
            samples[index] = milliseconds;
        }

        if (index == samples.Length - 1)
        {
            completed.TrySetResult();
        }
    }

    public (double P50, double P99, double Max) Percentiles()
    {
        var taken = samples.AsSpan(0, Math.Min(Count, samples.Length)).ToArray();
        Array.Sort(taken);
        return taken.Length == 0
            ? (0, 0, 0)
            : (taken[(int)(taken.Length * 0.50)], taken[Math.Min(taken.Length - 1, (int)(taken.Length * 0.99))], taken[^1]);
    }
}
