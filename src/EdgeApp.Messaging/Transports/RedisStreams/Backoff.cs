namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>Exponential backoff with full jitter, reset after a success, so a broker outage never becomes a tight loop.</summary>
internal sealed class Backoff(TimeSpan initial, TimeSpan maximum)
{
    private int attempt;

    public TimeSpan Next()
    {
        var ceiling = Math.Min(maximum.TotalMilliseconds, initial.TotalMilliseconds * Math.Pow(2, Math.Min(attempt, 30)));
        attempt++;
        return TimeSpan.FromMilliseconds(ceiling / 2 + (Random.Shared.NextDouble() * ceiling / 2));
    }

    public void Reset() => attempt = 0;
}
