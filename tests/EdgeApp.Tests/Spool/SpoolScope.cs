using System.Text;
using EdgeApp.Spool;
using EdgeApp.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Testing;

namespace EdgeApp.Tests.Spool;

/// <summary>A temporary spool directory with its own meters and a capturing logger; spools opened here share both.</summary>
internal sealed class SpoolScope : IDisposable
{
    public const string Name = "test";

    private static readonly DateTimeOffset Epoch = new(2026, 11, 30, 10, 0, 0, TimeSpan.FromHours(1));

    public SpoolScope()
    {
        Metrics = new SpoolMetrics(Meters);
    }

    public string Root { get; } = Directory.CreateTempSubdirectory("edgeapp-spool-").FullName;

    public TestMeterFactory Meters { get; } = new();

    public SpoolMetrics Metrics { get; }

    public FakeLogger Logger { get; } = new();

    public string SpoolDirectory => Path.Combine(Root, Name);

    public string CheckpointPath => Path.Combine(SpoolDirectory, "checkpoint");

    public SpoolOptions Options(
        long maxBytes = 64L << 20,
        long segmentBytes = 1L << 20,
        SpoolOverflow overflow = SpoolOverflow.Backpressure,
        bool flushToDisk = false) =>
        new() { Directory = Root, MaxBytes = maxBytes, SegmentBytes = segmentBytes, Overflow = overflow, FlushToDisk = flushToDisk };

    public DiskSpool Open(SpoolOptions? options = null) => DiskSpool.Open(Name, options ?? Options(), Metrics, Logger);

    /// <summary>Segment files, oldest first.</summary>
    public string[] SegmentFiles() => Directory.GetFiles(SpoolDirectory, "*.seg").Order(StringComparer.Ordinal).ToArray();

    /// <summary>A record whose fields all derive from <paramref name="i"/>, so any mix-up shows.</summary>
    public static SpoolRecord Record(int i, int payloadBytes = 40) =>
        new($"id-{i}", i % 4 == 0 ? null : $"machine-{i % 3}", Epoch.AddMilliseconds(i), Payload(i, payloadBytes));

    public static byte[] Payload(int i, int length)
    {
        var payload = new byte[length];
        var seed = Encoding.ASCII.GetBytes($"{{\"n\":{i}}}");
        for (var at = 0; at < length; at++)
        {
            payload[at] = seed[at % seed.Length];
        }

        return payload;
    }

    public static List<SpoolRecord> Records(int from, int count, int payloadBytes = 40) =>
        Enumerable.Range(from, count).Select(i => Record(i, payloadBytes)).ToList();

    /// <summary>Peeks and commits until the spool is empty; returns what was drained, in order.</summary>
    public static async Task<List<SpoolRecord>> DrainAsync(DiskSpool spool, int batch = 64)
    {
        var drained = new List<SpoolRecord>();
        while (true)
        {
            var records = await spool.PeekAsync(batch, long.MaxValue, CancellationToken.None);
            if (records.Count == 0)
            {
                return drained;
            }

            drained.AddRange(records);
            await spool.CommitAsync(records.Count, CancellationToken.None);
        }
    }

    /// <summary>Asserts the records equal the expected ones field by field, in order.</summary>
    public static void AssertSame(IReadOnlyList<SpoolRecord> expected, IReadOnlyList<SpoolRecord> actual)
    {
        Assert.Equal(expected.Select(r => r.Id), actual.Select(r => r.Id));
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i].PartitionKey, actual[i].PartitionKey);
            Assert.Equal(expected[i].EnqueuedAt, actual[i].EnqueuedAt);
            Assert.Equal(expected[i].EnqueuedAt.Offset, actual[i].EnqueuedAt.Offset);
            Assert.True(expected[i].Payload.Span.SequenceEqual(actual[i].Payload.Span), $"payload of {expected[i].Id} differs");
        }
    }

    public void Dispose()
    {
        Meters.Dispose();
        Directory.Delete(Root, recursive: true);
    }
}
