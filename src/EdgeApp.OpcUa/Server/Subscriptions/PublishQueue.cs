using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server.Subscriptions;

/// <summary>
/// A Publish request parked until one of the session's subscriptions has something to send (Part 4 §5.13.5). It is
/// completed exactly once, by whoever took it out of the <see cref="PublishQueue"/> under the queue's lock.
/// </summary>
internal sealed class PendingPublish(RequestHeader header, StatusCode[] acknowledgementResults, uint channelId)
{
    private readonly TaskCompletionSource<IServiceResponse> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RequestHeader Header { get; } = header;

    public StatusCode[] AcknowledgementResults { get; } = acknowledgementResults;

    public uint ChannelId { get; } = channelId;

    /// <summary>When the client stops waiting (its TimeoutHint); MaxValue for none.</summary>
    public DateTime Deadline { get; } = header.TimeoutHint == 0 ? DateTime.MaxValue : DateTime.UtcNow.AddMilliseconds(header.TimeoutHint);

    public Task<IServiceResponse> Task => _completion.Task;

    public CancellationTokenRegistration ConnectionRegistration { get; set; }

    public void Complete(IServiceResponse response)
    {
        ConnectionRegistration.Dispose();
        if (!_completion.TrySetResult(response) && response is IPooledResponse pooled)
        {
            pooled.ReleasePooled();
        }
    }

    public void Fail(StatusCode status) => Complete(new ServiceFault { ResponseHeader = ResponseHeader.For(Header, status) });
}

/// <summary>The session's parked Publish requests, oldest first. Lock order: a subscription's lock, then this one.</summary>
internal sealed class PublishQueue
{
    private readonly Lock _gate = new();
    private readonly LinkedList<PendingPublish> _queue = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Parks a request; when more than <paramref name="max"/> wait, the oldest is returned to be refused.</summary>
    public PendingPublish? Enqueue(PendingPublish pending, int max)
    {
        lock (_gate)
        {
            _queue.AddLast(pending);
            if (_queue.Count <= max)
            {
                return null;
            }

            var oldest = _queue.First!.Value;
            _queue.RemoveFirst();
            return oldest;
        }
    }

    public PendingPublish? TryDequeue()
    {
        lock (_gate)
        {
            if (_queue.First is not { } first)
            {
                return null;
            }

            _queue.RemoveFirst();
            return first.Value;
        }
    }

    public bool Remove(PendingPublish pending)
    {
        lock (_gate)
        {
            return _queue.Remove(pending);
        }
    }

    /// <summary>Takes out the requests matching <paramref name="match"/> (expired, or from a closed channel).</summary>
    public List<PendingPublish> RemoveWhere(Func<PendingPublish, bool> match)
    {
        lock (_gate)
        {
            var removed = new List<PendingPublish>();
            for (var node = _queue.First; node is not null;)
            {
                var next = node.Next;
                if (match(node.Value))
                {
                    removed.Add(node.Value);
                    _queue.Remove(node);
                }

                node = next;
            }

            return removed;
        }
    }
}
