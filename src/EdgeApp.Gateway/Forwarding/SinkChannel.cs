using EdgeApp.Gateway.Sinks;
using Polly;

namespace EdgeApp.Gateway.Forwarding;

/// <summary>
/// The way to one sink: writes pass through the sink's resilience pipeline (timeout, circuit breaker), one batch
/// at a time so the sink sees events in the order they arrived.
/// </summary>
public sealed class SinkChannel(IEventSink sink, ResiliencePipeline pipeline) : IAsyncDisposable
{
    private readonly SemaphoreSlim gate = new(1, 1);

    public string Name => sink.Name;

    public IEventSink Sink => sink;

    /// <summary>Writes the batch; throws when the sink did not take it.</summary>
    public async ValueTask<IReadOnlyList<SinkRejection>> WriteAsync(IReadOnlyList<SinkRecord> batch, CancellationToken cancellationToken)
    {
        await gate.WaitAsync(cancellationToken);
        try
        {
            return await pipeline.ExecuteAsync(static (state, ct) => state.sink.WriteAsync(state.batch, ct), (sink, batch), cancellationToken);
        }
        finally
        {
            gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (sink is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }

        gate.Dispose();
    }
}
