using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>
/// Runs one consumer loop per subscription, as Dapr's pubsub.redis does: read new entries for the app's group,
/// hand them to the handler in order, XACK what succeeded or was dead-lettered, and reclaim entries left pending
/// longer than the processing timeout. A broker failure makes the loop back off and start again, never crash.
/// </summary>
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
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested && IsBrokerFailure(ex))
                {
                    health.ReportUnhealthy(part, ex.Message);
                    var delay = backoff.Next();
                    LogBrokerFailure(subscription.Topic, delay.TotalMilliseconds, ex.Message);
                    await Task.Delay(delay, time, stoppingToken).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down: unacknowledged entries stay pending and are reclaimed later.
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
        var redis = settings.RedisStreams;
        var redeliver = redis.RedeliverInterval > TimeSpan.Zero;
        var block = redeliver ? Min(redis.ReadTimeout, redis.RedeliverInterval) : redis.ReadTimeout;
        var nextReclaim = time.GetUtcNow();

        // The next read is always in flight while a batch is handled, so the broker round trip overlaps the work.
        var next = reader.ReadNewAsync(redis.QueueDepth, block, stoppingToken);
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

            next = reader.ReadNewAsync(redis.QueueDepth, block, stoppingToken);
            backoff.Reset();
            if (redeliver && time.GetUtcNow() >= nextReclaim)
            {
                await ReclaimAsync(subscription, reader, shared, stoppingToken).ConfigureAwait(false);
                nextReclaim = time.GetUtcNow() + redis.RedeliverInterval;
            }

            if (messages.Count > 0)
            {
                await ProcessAsync(subscription, reader, shared, messages.Select(m => (m, 1)).ToList(), stoppingToken).ConfigureAwait(false);
            }
        }

        // Entries of a read still in flight stay pending and are reclaimed after the processing timeout.
        _ = next.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private async Task ReclaimAsync(TopicSubscription subscription, StreamGroupReader reader, IDatabase shared, CancellationToken stoppingToken)
    {
        var redis = settings.RedisStreams;
        for (var round = 0; round < 10; round++)
        {
            var claimed = await reader.ClaimIdleAsync(redis.QueueDepth, redis.ProcessingTimeout).ConfigureAwait(false);
            if (claimed.Count == 0)
            {
                return;
            }

            telemetry.Redelivered.Add(claimed.Count, new KeyValuePair<string, object?>("topic", subscription.Topic));
            await ProcessAsync(subscription, reader, shared, claimed, stoppingToken).ConfigureAwait(false);
            if (claimed.Count < redis.QueueDepth)
            {
                return;
            }
        }
    }

    private async Task ProcessAsync(
        TopicSubscription subscription,
        StreamGroupReader reader,
        IDatabase shared,
        List<(StreamMessage Message, int DeliveryCount)> batch,
        CancellationToken stoppingToken)
    {
        var inbound = batch.Select(b => new InboundMessage(b.Message.Id, b.Message.Data, b.DeliveryCount)).ToList();
        var outcomes = await dispatcher.DispatchAsync(subscription, StreamLayout.MessagingSystem, inbound, stoppingToken).ConfigureAwait(false);

        var maxAttempts = settings.RedisStreams.MaxDeliveryAttempts;
        var acknowledge = new List<RedisValue>(batch.Count);
        var deadLetters = new List<Task>();
        for (var i = 0; i < outcomes.Length; i++)
        {
            var (message, deliveries) = batch[i];
            var outcome = outcomes[i];
            if (outcome.Status == DeliveryStatus.Retry && maxAttempts > 0 && deliveries >= maxAttempts)
            {
                outcome = new DeliveryOutcome(DeliveryStatus.Drop, $"not handled after {deliveries} deliveries");
            }

            if (outcome.Status == DeliveryStatus.Drop)
            {
                deadLetters.Add(DeadLetterWriter.WriteAsync(shared, subscription.EffectiveDeadLetterTopic, subscription.Topic, message, outcome.Reason ?? "dropped"));
                LogDeadLettered(message.Id, subscription.Topic, subscription.EffectiveDeadLetterTopic, outcome.Reason);
            }

            if (outcome.Status != DeliveryStatus.Retry)
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
    }

    private static bool IsBrokerFailure(Exception ex) =>
        ex is RedisException or TimeoutException or ObjectDisposedException
        || ex.InnerException is RedisException;

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    [LoggerMessage(Level = LogLevel.Information, Message = "Consuming topic {Topic} as group {Group}")]
    private partial void LogSubscribed(string topic, string group);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis failed for topic {Topic}; retrying in {DelayMs:F0} ms: {Problem}")]
    private partial void LogBrokerFailure(string topic, double delayMs, string problem);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Message {MessageId} on {Topic} moved to {DeadLetterTopic}: {Reason}")]
    private partial void LogDeadLettered(string messageId, string topic, string deadLetterTopic, string? reason);
}
