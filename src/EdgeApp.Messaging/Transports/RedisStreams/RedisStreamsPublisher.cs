using System.Globalization;
using EdgeApp.Messaging.Diagnostics;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>
/// Publishes with <c>XADD &lt;topic&gt; [MAXLEN ~ n] * data &lt;CloudEvent&gt;</c>, the command Dapr's pubsub.redis
/// issues. A batch runs those XADDs inside one server-side script: one round trip instead of one per event, and
/// the server runs it as a unit, so a connection lost mid-batch leaves the batch wholly stored or not at all.
/// </summary>
internal sealed class RedisStreamsPublisher(
    RedisConnections connections,
    IOptions<MessagingOptions> options,
    MessagingTelemetry telemetry,
    TimeProvider time) : EventPublisherBase(options, telemetry, time)
{
    private const string BatchScript = """
        local maxlen = tonumber(ARGV[1])
        for i = 2, #ARGV do
          if maxlen > 0 then
            redis.call('XADD', KEYS[1], 'MAXLEN', '~', maxlen, '*', 'data', ARGV[i])
          else
            redis.call('XADD', KEYS[1], '*', 'data', ARGV[i])
          end
        end
        return #ARGV - 1
        """;

    private readonly long maxLength = options.Value.RedisStreams.MaxLenApprox;

    protected override string MessagingSystem => StreamLayout.MessagingSystem;

    protected override async Task SendAsync(string topic, byte[][] envelopes, CancellationToken cancellationToken)
    {
        var database = await connections.GetDatabaseAsync().ConfigureAwait(false);
        if (envelopes.Length == 1)
        {
            await database.StreamAddAsync(
                topic, StreamLayout.DataField, envelopes[0], maxLength: maxLength > 0 ? maxLength : null, useApproximateMaxLength: true)
                .WaitAsync(cancellationToken).ConfigureAwait(false);
            return;
        }

        var arguments = new RedisValue[envelopes.Length + 1];
        arguments[0] = maxLength.ToString(CultureInfo.InvariantCulture);
        for (var i = 0; i < envelopes.Length; i++)
        {
            arguments[i + 1] = envelopes[i];
        }

        await database.ScriptEvaluateAsync(BatchScript, [topic], arguments).WaitAsync(cancellationToken).ConfigureAwait(false);
    }
}
