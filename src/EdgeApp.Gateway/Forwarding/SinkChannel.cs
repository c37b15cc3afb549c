using EdgeApp.Gateway.Sinks;
using EdgeApp.Gateway.Spool;
using Polly;

namespace EdgeApp.Gateway.Forwarding;

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
    /// took it (the spool is full under Backpressure, or the disk failed): the events must be delivered again.
    /// </summary>
    public async ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!spooling)
            {
                try
                {
                    return await SendAsync(batch, cancellationToken);
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    LogSpoolingStarted(sink.Name, ex.Message);
                    Volatile.Write(ref spooling, true);
                }
            }

            return await AppendToSpoolAsync(batch, cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    /// <summary>
    /// Spools the batch. A record that could never fit the spool is returned as rejected (it goes to the dead
    /// letters); a batch larger than the whole spool is appended in parts. <see cref="SpoolFullException"/> passes:
    /// the spool is full for now, and the upstream must hold the events.
    /// </summary>
    private async Task<IReadOnlyList<SinkRejection>> AppendToSpoolAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var pending = Enumerable.Range(0, batch.Count).ToList();
        var rejections = new List<SinkRejection>();
        while (pending.Count > 0)
        {
            try
            {
                await spool.AppendAsync(pending.Select(i => ToSpoolRecord(batch[i], now)).ToArray(), cancellationToken);
                return rejections;
            }
            catch (SpoolRecordTooLargeException ex)
            {
                var position = pending.FindIndex(i => batch[i].Id == ex.RecordId);
                if (position < 0)
                {
                    throw;
                }

                rejections.Add(new SinkRejection(pending[position], ex.Message));
                pending.RemoveAt(position);
            }
            catch (ArgumentException) when (pending.Count > 1)
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

    /// <summary>Sends spooled records on to the sink; used by the drainer only.</summary>
    internal ValueTask<IReadOnlyList<SinkRejection>> SendAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken) =>
        pipeline.ExecuteAsync(static (state, ct) => state.sink.WriteAsync(state.batch, ct), (sink, batch), cancellationToken);

    /// <summary>Goes back to writing straight to the sink once the spool is empty, under the write gate so no batch overtakes.</summary>
    internal async Task<bool> TryStopSpoolingAsync(CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (spool.Count > 0)
            {
                return false;
            }

            if (spooling)
            {
                LogSpoolingEnded(sink.Name);
            }

            Volatile.Write(ref spooling, false);
            return true;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sink {Sink} failed; spooling its events until it recovers: {Problem}")]
    private partial void LogSpoolingStarted(string sink, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Sink {Sink} caught up; its spool is empty and events go straight to it again")]
    private partial void LogSpoolingEnded(string sink);
}
