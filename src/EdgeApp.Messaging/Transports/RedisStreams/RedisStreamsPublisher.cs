using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>Publishes with <c>XADD &lt;topic&gt; [MAXLEN ~ n] * data &lt;CloudEvent&gt;</c>, a whole batch pipelined.</summary>
internal sealed class RedisStreamsPublisher(
    RedisConnections connections,
    IOptions<MessagingOptions> options,
    MessagingTelemetry telemetry,
    TimeProvider time) : EventPublisherBase(options, telemetry, time)
{
    private readonly long? maxLength = options.Value.RedisStreams.MaxLenApprox > 0 ? options.Value.RedisStreams.MaxLenApprox : null;

    protected override string MessagingSystem => StreamLayout.MessagingSystem;

    protected override async Task SendAsync(string topic, byte[][] envelopes, CancellationToken cancellationToken)
    {
        var database = await connections.GetDatabaseAsync().ConfigureAwait(false);
        var key = new RedisKey(topic);
        var adds = new Task[envelopes.Length];
        for (var i = 0; i < envelopes.Length; i++)
        {
            adds[i] = database.StreamAddAsync(
                key, StreamLayout.DataField, envelopes[i], maxLength: maxLength, useApproximateMaxLength: true);
        }

        await Task.WhenAll(adds).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
