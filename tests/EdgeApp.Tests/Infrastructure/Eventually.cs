namespace EdgeApp.Tests.Infrastructure;

/// <summary>Polls a condition until it holds or a bounded time runs out.</summary>
public static class Eventually
{
    public static async Task TrueAsync(Func<Task<bool>> condition, TimeSpan timeout, string because)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition())
            {
                return;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Not true within {timeout.TotalSeconds:F0} s: {because}");
            }

            await Task.Delay(25);
        }
    }

    public static Task TrueAsync(Func<bool> condition, TimeSpan timeout, string because) =>
        TrueAsync(() => Task.FromResult(condition()), timeout, because);
}
