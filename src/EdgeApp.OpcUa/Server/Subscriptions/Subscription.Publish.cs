using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Subscriptions;

/// <summary>Building NotificationMessages: encoded once, straight from the item queues, kept for Republish.</summary>
internal sealed partial class Subscription
{
    private static readonly NodeId DataChangeEncodingId = new(DataChangeNotification.EncodingId);
    private static readonly NodeId StatusChangeEncodingId = new(StatusChangeNotification.EncodingId);

    /// <summary>Answers <paramref name="pending"/> with data, a status change or a keep-alive (caller holds <see cref="Gate"/>).</summary>
    private PublishResponse BuildResponseLocked(PendingPublish pending)
    {
        var response = new PublishResponse
        {
            ResponseHeader = ResponseHeader.For(pending.Header),
            SubscriptionId = Id,
            Results = pending.AcknowledgementResults,
        };

        var more = false;
        var message = HasSomethingToPublish ? EncodeMessageLocked(out more) : null;
        if (message is null)
        {
            // Keep-alive: the next sequence number, not consumed, and nothing to retransmit (Part 4 §7.21).
            response.NotificationMessage = new NotificationMessage { SequenceNumber = _nextSequenceNumber, PublishTime = DateTime.UtcNow };
            _late = false;
        }
        else
        {
            AddToRetransmissionLocked(message);
            message.TryAddReference();
            response.Encoded = message;
            response.MoreNotifications = more;
            _late = more;
        }

        response.AvailableSequenceNumbers = AvailableSequenceNumbers;
        _keepAliveCounter = 0;
        _lifetimeCounter = 0;
        _firstMessageSent = true;
        return response;
    }

    /// <summary>
    /// Encodes a NotificationMessage from the ready items' queues: values are written as they are dequeued, bounded by
    /// MaxNotificationsPerPublish and a byte budget that keeps the response under the client's message size. Null when
    /// nothing was left to send.
    /// </summary>
    private EncodedNotification? EncodeMessageLocked(out bool more)
    {
        var maxNotifications = Parameters.MaxNotificationsPerPublish == 0 ? int.MaxValue : (int)Math.Min(Parameters.MaxNotificationsPerPublish, int.MaxValue);
        var maxBytes = _manager.MaxMessageBytes(Session);
        var buffer = ByteBufferPool.Rent();
        var w = new UaWriter(buffer);
        var sequenceNumber = _nextSequenceNumber;
        var publishTime = DateTime.UtcNow;
        w.WriteUInt32(sequenceNumber);
        w.WriteDateTime(publishTime);
        var dataCountAt = w.ReserveInt32();
        var dataCount = 0;
        var count = 0;

        if (PublishingEnabled && _ready.Count > 0)
        {
            // DataChangeNotification as an ExtensionObject: type id, binary body with its length backfilled.
            w.WriteNodeId(DataChangeEncodingId);
            w.WriteByte((byte)ExtensionObjectEncoding.Binary);
            var bodyAt = w.ReserveInt32();
            var itemsAt = w.ReserveInt32();
            while (_ready.TryPeek(out var item))
            {
                if (item.Deleted || item.Mode != MonitoringMode.Reporting)
                {
                    _ready.Dequeue();
                    item.InReadyQueue = false;
                    continue;
                }

                while (count < maxNotifications && buffer.Length < maxBytes && item.TryDequeue(out var value))
                {
                    w.WriteUInt32(item.ClientHandle);
                    w.WriteDataValue(item.Shape(in value));
                    count++;
                }

                if (item.QueuedCount > 0)
                {
                    break; // limit reached; this item goes first next time
                }

                _ready.Dequeue();
                item.InReadyQueue = false;
            }

            w.PatchInt32(itemsAt, count);
            w.WriteInt32(-1); // DiagnosticInfos
            w.PatchInt32(bodyAt, w.Position - bodyAt - 4);
            dataCount++;
        }

        if (_pendingStatus is { } status)
        {
            w.WriteNodeId(StatusChangeEncodingId);
            w.WriteByte((byte)ExtensionObjectEncoding.Binary);
            w.WriteInt32(5);
            w.WriteStatusCode(status);
            w.WriteByte(0); // no DiagnosticInfo
            dataCount++;
            _pendingStatus = null;
        }
        else if (count == 0)
        {
            // Only deleted or no longer reporting items were queued: a keep-alive instead.
            ByteBufferPool.Return(buffer);
            more = false;
            return null;
        }

        w.PatchInt32(dataCountAt, dataCount);
        _nextSequenceNumber = _nextSequenceNumber == uint.MaxValue ? 1 : _nextSequenceNumber + 1;
        more = PublishingEnabled && _ready.Count > 0;
        return new EncodedNotification(buffer, sequenceNumber, publishTime, count);
    }

    private void AddToRetransmissionLocked(EncodedNotification message)
    {
        _retransmission.AddLast(message);
        _retransmissionBytes += message.Length;
        var limits = _manager.Limits;
        while (_retransmission.Count > 1 &&
               (_retransmission.Count > limits.MaxRetransmissionQueueSize || _retransmissionBytes > limits.MaxRetransmissionBytesPerSubscription))
        {
            var oldest = _retransmission.First!.Value;
            _retransmission.RemoveFirst();
            _retransmissionBytes -= oldest.Length;
            oldest.Release();
        }
    }

    /// <summary>Queues the last value of every reporting item again (TransferSubscriptions with SendInitialValues).</summary>
    public void RequeueLastValues()
    {
        lock (Gate)
        {
            foreach (var item in Items.Values)
            {
                if (item.Mode != MonitoringMode.Disabled)
                {
                    item.RequeueLast();
                    MarkReady(item);
                }
            }
        }
    }

    /// <summary>Stops publishing state that belonged to the previous owner (after a transfer).</summary>
    public void ResetCountersLocked()
    {
        _lifetimeCounter = 0;
        _keepAliveCounter = 0;
        _late = HasSomethingToPublish;
    }
}
