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

            var now = time.GetUtcNow();
            await spool.AppendAsync(batch.Select(r => new SpoolRecord(r.Id, r.PartitionKey, now, r.Envelope)).ToArray(), cancellationToken);
            return [];
        }
        finally
        {
            gate.Release();
        }
    }

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
