using System.Buffers.Binary;
using System.Text;
using EdgeApp.Messaging;
using EdgeApp.OpcPublisher.Diagnostics;
using EdgeApp.OpcPublisher.Messages;
using EdgeApp.Spool;
using Microsoft.Extensions.Options;

namespace EdgeApp.OpcPublisher.Output;

/// <summary>Where encoded messages go once made: the disk spool (default) or straight to the broker.</summary>
public interface IMessageOutbox
{
    /// <summary>Completes once the messages are safe (in the spool, or accepted by the broker); keeps trying until then.</summary>
    ValueTask AddAsync(IReadOnlyList<EncodedMessage> messages, CancellationToken cancellationToken);
}

/// <summary>
/// Messages are appended to a local <see cref="DiskSpool"/> (fsynced) before they count as received; the
/// <see cref="SpoolForwarder"/> drains it into the messaging layer. A restart or a broker outage loses nothing that was
/// received (OPC Publisher's #2168). A full spool pushes back: the writers wait, the OPC UA client's buffer fills and
/// reports the loss as a gap instead of the publisher growing without bound.
/// </summary>
public sealed partial class SpoolOutbox(MessageSpool spool, PublisherMetrics metrics, TimeProvider time, ILogger<SpoolOutbox> logger) : IMessageOutbox
{
    public async ValueTask AddAsync(IReadOnlyList<EncodedMessage> messages, CancellationToken cancellationToken)
    {
        var records = messages.Select(SpooledMessage.ToRecord).ToArray();
        var delay = TimeSpan.FromMilliseconds(50);
        while (true)
        {
            try
            {
                await spool.Spool.AppendAsync(records, cancellationToken);
                metrics.Spooled(messages);
                return;
            }
            catch (Exception ex) when (ex is SpoolRecordTooLargeException or ArgumentException && messages.Count > 1)
            {
                // The batch as a whole does not fit (or one record in it never will): one message at a time.
                foreach (var message in messages)
                {
                    await AddAsync([message], cancellationToken);
                }

                return;
            }
            catch (Exception ex) when (ex is SpoolRecordTooLargeException or ArgumentException)
            {
                // Larger than the whole spool: retrying cannot help and would stop the writer behind it.
                LogNeverFits(messages[0].Id, messages[0].Values, ex.Message);
                metrics.Dropped(messages[0].Values, "RecordTooLarge");
                return;
            }
            catch (SpoolFullException ex)
            {
                LogSpoolFull(ex.Message);
            }
            catch (IOException ex)
            {
                LogSpoolFailed(ex.Message);
            }

            await Task.Delay(delay, time, cancellationToken);
            delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 5000));
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "The publisher's spool is full; writers wait for it to drain: {Problem}")]
    private partial void LogSpoolFull(string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Appending to the publisher's spool failed; trying again: {Problem}")]
    private partial void LogSpoolFailed(string problem);

    [LoggerMessage(Level = LogLevel.Error, Message = "Message {Id} ({Values} values) can never be spooled and is dropped: {Problem}")]
    private partial void LogNeverFits(string id, int values, string problem);
}

/// <summary>Without a spool: publishes at once, retrying until the broker takes the messages (lost on a restart).</summary>
public sealed partial class DirectOutbox(
    IEventPublisher publisher, IOptions<OpcPublisherOptions> options, PublisherMetrics metrics, ForwarderState state, TimeProvider time, ILogger<DirectOutbox> logger) : IMessageOutbox
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async ValueTask AddAsync(IReadOnlyList<EncodedMessage> messages, CancellationToken cancellationToken)
    {
        metrics.Spooled(messages);
        var delay = TimeSpan.FromMilliseconds(100);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            while (true)
            {
                try
                {
                    await SpoolForwarder.PublishAsync(publisher, options.Value.Topic, messages, cancellationToken);
                    metrics.Forwarded(messages.Count, messages.Sum(m => m.Values), messages.Min(m => m.Time), time.GetUtcNow());
                    state.LastFailure = null;
                    return;
                }
                catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
                {
                    state.LastFailure = ex.Message;
                    LogPublishFailed(messages.Count, ex.Message);
                }

                await Task.Delay(delay, time, cancellationToken);
                delay = TimeSpan.FromMilliseconds(Math.Min(delay.TotalMilliseconds * 2, 10_000));
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing {Count} messages failed; trying again: {Problem}")]
    private partial void LogPublishFailed(int count, string problem);
}

/// <summary>The publisher's spool, opened at start (recovering what a previous run left) and closed at stop.</summary>
public sealed class MessageSpool(IOptions<SpoolOptions> options, SpoolMetrics metrics, ILogger<MessageSpool> logger) : IHostedService, IAsyncDisposable
{
    public const string Name = "opc-publisher";

    private DiskSpool? _spool;

    public DiskSpool Spool => _spool ?? throw new InvalidOperationException("The publisher's spool is not open yet.");

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _spool = DiskSpool.Open(Name, options.Value, metrics, logger);
        if (_spool.Count > 0)
        {
            logger.LogInformation("The spool holds {Count} messages from before the restart; they are sent first.", _spool.Count);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_spool is not null)
        {
            await _spool.DisposeAsync();
        }
    }
}

/// <summary>
/// A message in the spool: <c>SpoolRecord.Id</c> = message id, <c>PartitionKey</c> = subject, <c>EnqueuedAt</c> = message
/// time, and a payload of version (1), CloudEvent type, traceparent and tracestate (each length-prefixed), then the
/// message JSON.
/// </summary>
public static class SpooledMessage
{
    private const byte Version = 1;

    public static SpoolRecord ToRecord(EncodedMessage message)
    {
        var type = Encoding.UTF8.GetBytes(message.Type);
        var parent = Encoding.ASCII.GetBytes(message.TraceParent ?? string.Empty);
        var state = Encoding.UTF8.GetBytes(message.TraceState ?? string.Empty);
        var payload = new byte[1 + 2 + type.Length + 2 + parent.Length + 2 + state.Length + 4 + message.Data.Length];
        var span = payload.AsSpan();
        span[0] = Version;
        var at = 1;
        at = Put(span, at, type);
        at = Put(span, at, parent);
        at = Put(span, at, state);
        BinaryPrimitives.WriteInt32LittleEndian(span[at..], message.Values);
        at += 4;
        message.Data.Span.CopyTo(span[at..]);
        return new SpoolRecord(message.Id, message.Subject, message.Time, payload);
    }

    public static EncodedMessage FromRecord(SpoolRecord record)
    {
        var span = record.Payload.Span;
        if (span.Length < 11 || span[0] != Version)
        {
            throw new InvalidDataException($"Spooled message '{record.Id}' has an unknown layout.");
        }

        var at = 1;
        var type = Encoding.UTF8.GetString(Take(record, ref at));
        var parent = Encoding.ASCII.GetString(Take(record, ref at));
        var state = Encoding.UTF8.GetString(Take(record, ref at));
        var values = BinaryPrimitives.ReadInt32LittleEndian(Take(record, ref at, 4));
        return new EncodedMessage(record.Id, record.PartitionKey ?? string.Empty, type, record.EnqueuedAt, record.Payload[at..], values)
        {
            TraceParent = parent.Length > 0 ? parent : null,
            TraceState = state.Length > 0 ? state : null,
        };
    }

    public static OutgoingEvent ToOutgoing(EncodedMessage message) =>
        new(message.Data) { Id = message.Id, Subject = message.Subject, Type = message.Type, Time = message.Time };

    private static int Put(Span<byte> span, int at, byte[] bytes)
    {
        BinaryPrimitives.WriteUInt16LittleEndian(span[at..], (ushort)bytes.Length);
        bytes.CopyTo(span[(at + 2)..]);
        return at + 2 + bytes.Length;
    }

    /// <summary>A length-prefixed field, or <paramref name="fixedLength"/> bytes; a record too short for it has an unknown layout.</summary>
    private static ReadOnlySpan<byte> Take(SpoolRecord record, ref int at, int? fixedLength = null)
    {
        var span = record.Payload.Span;
        var start = at;
        var length = fixedLength ?? (span.Length - at >= 2 ? BinaryPrimitives.ReadUInt16LittleEndian(span[at..]) : -1);
        if (fixedLength is null)
        {
            start += 2;
        }

        if (length < 0 || start + length > span.Length)
        {
            throw new InvalidDataException($"Spooled message '{record.Id}' has an unknown layout (a field runs past its end at byte {at}).");
        }

        at = start + length;
        return span.Slice(start, length);
    }
}
