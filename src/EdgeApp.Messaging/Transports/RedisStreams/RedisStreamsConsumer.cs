using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>
/// Runs one consumer loop per subscription, as Dapr's pubsub.redis does: read new entries for the app's group,
/// hand them to the handler in order, XACK what succeeded or was dead-lettered, and reclaim entries other
/// consumers left pending longer than the processing timeout. Unlike pubsub.redis it keeps per-stream order
/// across retries and restarts: its own pending entries (a crash, a retry) are handled before anything newer, and
/// while one of them still asks to be retried it reads nothing new and backs off. No failure ends a loop; it
/// backs off and starts again.
/// </summary>
/// <remarks>
/// Like Dapr, the consumer name is the group name (the app id). Strict order assumes one consumer instance per app
/// id; with several, each also re-reads the others' in-flight entries on a restart (duplicates, never loss).
/// </remarks>
internal sealed partial class RedisStreamsConsumer(
    IEnumerable<TopicSubscription> subscriptions,
    RedisConnections connections,
    EventDispatcher dispatcher,
    TransportHealth health,
    MessagingTelemetry telemetry,
    IOptions<MessagingOptions> options,
    TimeProvider time,
    ILogger<RedisStreamsConsumer> logger) : BackgroundService
{
    private readonly MessagingOptions settings = options.Value;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(subscriptions.Select(s => Task.Run(() => RunAsync(s, stoppingToken), stoppingToken)));

    private async Task RunAsync(TopicSubscription subscription, CancellationToken stoppingToken)
    {
        var part = "subscription:" + subscription.Topic;
        var backoff = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        ConnectionMultiplexer? blocking = null;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    blocking ??= await connections.ConnectDedicatedAsync(settings.RedisStreams.ReadTimeout).ConfigureAwait(false);
                    var shared = await connections.GetDatabaseAsync().ConfigureAwait(false);
                    var reader = new StreamGroupReader(shared, blocking.GetDatabase(), subscription.Topic, settings.AppId);
                    await reader.EnsureGroupAsync().ConfigureAwait(false);
                    health.ReportHealthy(part);
                    LogSubscribed(subscription.Topic, settings.AppId);
                    await ConsumeAsync(subscription, reader, shared, backoff, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    health.ReportUnhealthy(part, ex.Message);
                    var delay = backoff.Next();
                    if (IsBrokerFailure(ex))
                    {
                        LogBrokerFailure(subscription.Topic, delay.TotalMilliseconds, ex.Message);
                    }
                    else
                    {
                        LogLoopFailure(ex, subscription.Topic, delay.TotalMilliseconds);
                    }

                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unacknowledged entries stay pending and come first after the next start.
        }
        finally
        {
            if (blocking is not null)
            {
                await blocking.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private async Task ConsumeAsync(
        TopicSubscription subscription, StreamGroupReader reader, IDatabase shared, Backoff backoff, CancellationToken stoppingToken)
    {
        var retryDelay = new Backoff(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(30));
        while (!stoppingToken.IsCancellationRequested)
        {
            if (!await ProcessOwnPendingAsync(subscription, reader, shared, stoppingToken).ConfigureAwait(false)
                || !await ConsumeNewAsync(subscription, reader, shared, stoppingToken).ConfigureAwait(false))
            {
                // Something asked to be retried: give it time, then offer it again before anything newer.
                await Task.Delay(retryDelay.Next(), time, stoppingToken).ConfigureAwait(false);
                continue;
            }

            retryDelay.Reset();
            backoff.Reset();
        }
    }

    /// <summary>Handles this consumer's own pending entries in stream order; false when one of them is to be retried.</summary>
    private async Task<bool> ProcessOwnPendingAsync(
        TopicSubscription subscription, StreamGroupReader reader, IDatabase shared, CancellationToken stoppingToken)
    {
        var after = "0";
        while (!stoppingToken.IsCancellationRequested)
        {
            var pending = await reader.ReadOwnPendingAsync(after, settings.RedisStreams.QueueDepth).ConfigureAwait(false);
            if (pending.Count == 0)
            {
                return true;
            }

            telemetry.Redelivered.Add(pending.Count, new KeyValuePair<string, object?>("topic", subscription.Topic));
            if (!await ProcessAsync(subscription, reader, shared, pending, stoppingToken).ConfigureAwait(false))
            {
                return false;
            }

            after = pending[^1].Message.Id;
        }

        return true;
    }

    /// <summary>Reads and handles new entries, one read always ahead; returns false as soon as a batch had a retry.</summary>
    private async Task<bool> ConsumeNewAsync(
        TopicSubscription subscription, StreamGroupReader reader, IDatabase shared, CancellationToken stoppingToken)
    {
        var redis = settings.RedisStreams;
        var redeliver = redis.RedeliverInterval > TimeSpan.Zero;
        var block = redeliver ? Min(redis.ReadTimeout, redis.RedeliverInterval) : redis.ReadTimeout;
        var nextReclaim = time.GetUtcNow();
        var next = reader.ReadNewAsync(redis.QueueDepth, block, stoppingToken);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                List<StreamMessage> messages;
                try
                {
                    messages = await next.ConfigureAwait(false);
                }
                catch (RedisServerException ex) when (ex.Message.StartsWith("NOGROUP", StringComparison.Ordinal))
                {
                    // The stream or group was deleted under us: recreate it, as Dapr does.
                    await reader.EnsureGroupAsync().ConfigureAwait(false);
                    next = reader.ReadNewAsync(redis.QueueDepth, block, stoppingToken);
                    continue;
                }

                // Reclaim before the next read goes out, so nothing in hand can be claimed twice.
                if (redeliver && time.GetUtcNow() >= nextReclaim)
                {
                    var inHand = messages.Select(m => m.Id).ToHashSet(StringComparer.Ordinal);
                    if (!await ReclaimAsync(subscription, reader, shared, inHand, stoppingToken).ConfigureAwait(false))
                    {
                        next = Task.FromResult(messages);
                        return false;
                    }

                    nextReclaim = time.GetUtcNow() + redis.RedeliverInterval;
                }

                next = reader.ReadNewAsync(redis.QueueDepth, block, stoppingToken);
                if (messages.Count > 0
                    && !await ProcessAsync(subscription, reader, shared, messages.Select(m => (m, 1)).ToList(), stoppingToken).ConfigureAwait(false))
                {
                    return false;
                }
            }

            return true;
        }
        finally
        {
            // The read in flight delivered its entries to this consumer: they are pending now and the next pass
            // over the own pending entries handles them in order. Wait for it so none arrive behind that pass.
            try
            {
                await next.WaitAsync(redis.ReadTimeout + TimeSpan.FromSeconds(5), CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RedisException or TimeoutException or OperationCanceledException or ObjectDisposedException)
            {
                // Nothing to hand over; a broken connection is handled by the caller.
            }
        }
    }

    private async Task<bool> ReclaimAsync(
        TopicSubscription subscription, StreamGroupReader reader, IDatabase shared, IReadOnlySet<string> inHand, CancellationToken stoppingToken)
    {
        var redis = settings.RedisStreams;
        for (var round = 0; round < 10; round++)
        {
            var claimed = await reader.ClaimIdleAsync(redis.QueueDepth, redis.ProcessingTimeout, inHand).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return true;
            }

            telemetry.Redelivered.Add(claimed.Count, new KeyValuePair<string, object?>("topic", subscription.Topic));
            if (!await ProcessAsync(subscription, reader, shared, claimed, stoppingToken).ConfigureAwait(false))
            {
                return false;
            }

            if (claimed.Count < redis.QueueDepth)
            {
                return true;
            }
        }

        return true;
    }

    /// <summary>Dispatches a batch, dead-letters and acknowledges what is done; false when any entry is to be retried.</summary>
    private async Task<bool> ProcessAsync(
        TopicSubscription subscription,
        StreamGroupReader reader,
        IDatabase shared,
        List<(StreamMessage Message, int DeliveryCount)> batch,
        CancellationToken stoppingToken)
    {
        var acknowledge = new List<RedisValue>(batch.Count);
        var live = new List<(StreamMessage Message, int DeliveryCount)>(batch.Count);
        foreach (var entry in batch)
        {
            if (entry.Message.Deleted)
            {
                // Trimmed from the stream (MAXLEN) before it was handled: its content is gone, only the id is left.
                acknowledge.Add(entry.Message.Id);
                telemetry.Trimmed.Add(1, new KeyValuePair<string, object?>("topic", subscription.Topic));
                LogTrimmed(entry.Message.Id, subscription.Topic);
            }
            else
            {
                live.Add(entry);
            }
        }

        var inbound = live.Select(b => new InboundMessage(b.Message.Id, b.Message.Data, b.DeliveryCount)).ToList();
        var outcomes = inbound.Count == 0
            ? []
            : await dispatcher.DispatchAsync(subscription, StreamLayout.MessagingSystem, inbound, stoppingToken).ConfigureAwait(false);

        var maxAttempts = settings.RedisStreams.MaxDeliveryAttempts;
        var deadLetters = new List<Task>();
        var retried = false;
        for (var i = 0; i < outcomes.Length; i++)
        {
            var (message, deliveries) = live[i];
            var outcome = outcomes[i];
            if (outcome.Status == DeliveryStatus.Retry && maxAttempts > 0 && deliveries >= maxAttempts)
            {
                outcome = new DeliveryOutcome(DeliveryStatus.Drop, $"not handled after {deliveries} deliveries");
            }

            if (outcome.Status == DeliveryStatus.Drop)
            {
                deadLetters.Add(DeadLetterWriter.WriteAsync(
                    shared, subscription.EffectiveDeadLetterTopic, subscription.Topic, message, outcome.Reason ?? "dropped", settings.RedisStreams.MaxLenApprox));
                LogDeadLettered(message.Id, subscription.Topic, subscription.EffectiveDeadLetterTopic, outcome.Reason);
            }

            if (outcome.Status == DeliveryStatus.Retry)
            {
                retried = true;
            }
            else
            {
                acknowledge.Add(message.Id);
            }
        }

        // A dropped message is acknowledged only once its dead-letter copy is stored.
        await Task.WhenAll(deadLetters).ConfigureAwait(false);
        if (deadLetters.Count > 0)
        {
            telemetry.DeadLettered.Add(deadLetters.Count, new KeyValuePair<string, object?>("topic", subscription.Topic));
        }

        if (acknowledge.Count > 0)
        {
            await reader.AcknowledgeAsync([.. acknowledge]).ConfigureAwait(false);
        }

        return !retried;
    }

    private static bool IsBrokerFailure(Exception ex) =>
        ex is RedisException or TimeoutException or ObjectDisposedException
        || ex.InnerException is RedisException;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming topic {Topic} as group {Group}")]
    private partial void LogSubscribed(string topic, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis failed for topic {Topic}; retrying in {DelayMs:F0} ms: {Problem}")]
    private partial void LogBrokerFailure(string topic, double delayMs, string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Consuming topic {Topic} failed; starting again in {DelayMs:F0} ms")]
    private partial void LogLoopFailure(Exception exception, string topic, double delayMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on {Topic} moved to {DeadLetterTopic}: {Reason}")]
    private partial void LogDeadLettered(string messageId, string topic, string deadLetterTopic, string? reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {MessageId} on {Topic} was trimmed from the stream (MaxLenApprox) before it was handled; it is lost")]
    private partial void LogTrimmed(string messageId, string topic);
}
