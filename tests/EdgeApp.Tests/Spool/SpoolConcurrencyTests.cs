using EdgeApp.Spool;

namespace EdgeApp.Tests.Spool;

public sealed class SpoolConcurrencyTests : IDisposable
{
    private static readonly TimeSpan Bound = TimeSpan.FromMinutes(2);

    private readonly SpoolScope scope = new();

    public void Dispose() => scope.Dispose();

    [Fact]
    public async Task AppendWhileDraining_DeliversEveryRecordExactlyOnce_InOrder()
    {
        const int Total = 40_000;
        await using var spool = scope.Open(scope.Options(segmentBytes: 64 << 10));
        using var timeout = new CancellationTokenSource(Bound);
        var delivered = new List<string>(Total);

        var appender = Task.Run(async () =>
        {
            var random = new Random(1);
            for (var next = 0; next < Total;)
            {
                var count = Math.Min(random.Next(1, 400), Total - next);
                await spool.AppendAsync(SpoolScope.Records(next, count, payloadBytes: random.Next(0, 300)), timeout.Token);
                next += count;
            }
        });
        var drainer = Task.Run(async () =>
        {
            // Commits only part of what it peeks at times, as a sink that took part of a batch would.
            var random = new Random(2);
            while (delivered.Count < Total)
            {
                await spool.WaitForRecordsAsync(timeout.Token);
                var records = await spool.PeekAsync(random.Next(1, 500), random.Next(100, 100_000), timeout.Token);
                Assert.NotEmpty(records);
                var taken = random.Next(1, records.Count + 1);
                delivered.AddRange(records.Take(taken).Select(r => r.Id));
                await spool.CommitAsync(taken, timeout.Token);
            }
        });

        await Task.WhenAll(appender, drainer).WaitAsync(Bound);

        Assert.Equal(Enumerable.Range(0, Total).Select(i => $"id-{i}"), delivered);
        Assert.Equal(0, spool.Count);
        Assert.Equal(0, spool.Bytes);
        Assert.True(scope.SegmentFiles().Length <= 1, $"{scope.SegmentFiles().Length} segment files left");
    }

    [Fact]
    public async Task TwoAppenders_AreSerialised_EachKeepingItsOwnOrder()
    {
        const int PerAppender = 5_000;
        await using var spool = scope.Open(scope.Options(segmentBytes: 16 << 10));

        async Task AppendAsync(int offset)
        {
            for (var next = 0; next < PerAppender; next += 50)
            {
                await spool.AppendAsync(SpoolScope.Records(offset + next, 50), CancellationToken.None);
            }
        }

        await Task.WhenAll(Task.Run(() => AppendAsync(0)), Task.Run(() => AppendAsync(1_000_000))).WaitAsync(Bound);

        var ids = (await SpoolScope.DrainAsync(spool, batch: 1000)).Select(r => int.Parse(r.Id[3..], System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(Enumerable.Range(0, PerAppender), ids.Where(i => i < 1_000_000));
        Assert.Equal(Enumerable.Range(1_000_000, PerAppender), ids.Where(i => i >= 1_000_000));
    }
}
