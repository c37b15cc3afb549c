using EdgeApp.Gateway.Sinks;
using EdgeApp.Spool;
using Polly;

namespace EdgeApp.Gateway.Forwarding;

/// <summary>What became of a batch written to a channel: straight into the sink, or into its spool.</summary>
public sealed record SinkWriteResult(bool Spooled, IReadOnlyList<SinkRejection> Rejections);

/// <summary>
/// The way to one sink, with store-and-forward: a batch goes straight to the sink (through its resilience
/// pipeline) while the sink takes it; when it fails, or its circuit is open, the batch goes to the sink's disk
/// spool instead, and every later batch follows it there until the spool has drained, so the sink still sees
/// events in the order they arrived. A write completes only once the batch is in the sink or durably spooled.
/// </summary>
public sealed partial class SinkChannel(
    IEventSink sink,
    ResiliencePipeline pipeline,
    DiskSpool spool,
    TimeSpan fullSpoolWait,
    TimeProvider time,
    ILogger logger) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);
    private bool spooling = spool.Count > 0;

    public string Name => sink.Name;

    public DiskSpool Spool => spool;

    /// <summary>True while events go to the spool rather than straight to the sink.</summary>
    public bool IsSpooling => Volatile.Read(ref spooling);

    /// <summary>
    /// Writes the batch to the sink, or to the spool when the sink cannot take it now. Throws only when neither
    /// took it (the spool stayed full under Backpressure, or the disk failed): the events must be delivered again.
    /// </summary>
    public async ValueTask<SinkWriteResult> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!spooling)
            {
                try
                {
                    return new SinkWriteResult(false, await SendAsync(batch, cancellationToken));
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogSpoolingStarted(sink.Name, ex.Message);
                    Volatile.Write(ref spooling, true);
                }
            }

            return new SinkWriteResult(true, await AppendToSpoolAsync(batch, cancellationToken));
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>Sends records to the sink through its pipeline; the drainer uses it for spooled records.</summary>
    internal ValueTask<IReadOnlyList<SinkRejection>> SendAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(static (state, ct) => state.sink.WriteAsync(state.batch, ct), (sink, batch), cancellationToken);

    /// <summary>
    /// Goes back to writing straight to the sink once the spool is empty. A short remainder is drained here under
    /// the write gate, so a steady stream of new batches cannot keep the channel spooling for ever.
    /// </summary>
    internal async Task TryStopSpoolingAsync(int maxRemainder, Func<IReadOnlyList<SpoolRecord>, CancellationToken, Task<bool>> drainBatch, CancellationToken cancellationToken)
    {
        if (!spooling || spool.Count > maxRemainder)
        {
            return;
        }

        await gate.WaitAsync(cancellationToken);
        try
        {
            while (spool.Count > 0)
            {
                var remainder = await spool.PeekAsync(maxRemainder, long.MaxValue, cancellationToken);
                if (!await drainBatch(remainder, cancellationToken))
                {
                    return;
                }
            }

            LogSpoolingEnded(sink.Name);
            Volatile.Write(ref spooling, false);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await spool.DisposeAsync();
        if (sink is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        gate.Dispose();
    }

    /// <summary>
    /// Spools the batch. A record that could never fit the spool is returned as rejected (it goes to the dead
    /// letters); a batch larger than the whole spool is appended in parts; a full spool is waited on for a while.
    /// </summary>
    private async Task<IReadOnlyList<SinkRejection>> AppendToSpoolAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = Enumerable.Range(0, batch.Count).ToList();
        var rejections = new List<SinkRejection>();
        var waitUntil = time.GetUtcNow() + fullSpoolWait;
        while (pending.Count > 0)
        {
            try
            {
                await spool.AppendAsync(pending.Select(i => ToSpoolRecord(batch[i], now)).ToArray(), cancellationToken);
                return rejections;
            }
            catch (SpoolRecordTooLargeException ex) when (ex.RecordIndex >= 0 && ex.RecordIndex < pending.Count)
            {
                rejections.Add(new SinkRejection(pending[ex.RecordIndex], ex.Message));
                pending.RemoveAt(ex.RecordIndex);
            }
            catch (SpoolFullException) when (time.GetUtcNow() < waitUntil)
            {
                // Backpressure: the drainer makes room once the sink takes events again; until then, hold on.
                await Task.Delay(TimeSpan.FromMilliseconds(200), time, cancellationToken);
            }
            catch (ArgumentException ex) when (ex is not SpoolRecordTooLargeException && pending.Count > 1)
            {
                // Larger than the whole spool: append it half by half, each part on its own.
                var half = pending.Count / 2;
                var first = await AppendToSpoolAsync(pending.Take(half).Select(i => batch[i]).ToArray(), cancellationToken);
                var second = await AppendToSpoolAsync(pending.Skip(half).Select(i => batch[i]).ToArray(), cancellationToken);
                rejections.AddRange(first.Select(r => r with { Index = pending[r.Index] }));
                rejections.AddRange(second.Select(r => r with { Index = pending[half + r.Index] }));
                return rejections;
            }
        }

        return rejections;
    }

    private static SpoolRecord ToSpoolRecord(SinkRecord record, DateTimeOffset now) =>
        new(record.Id, record.PartitionKey, now, record.Envelope);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} failed; spooling its events until it recovers: {Problem}")]
    private partial void LogSpoolingStarted(string sink, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} caught up; its spool is empty and events go straight to it again")]
    private partial void LogSpoolingEnded(string sink);
}
