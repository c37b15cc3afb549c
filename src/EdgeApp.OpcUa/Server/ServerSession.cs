using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Server.Subscriptions;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.OpcUa.Server;

/// <summary>
/// A session (Part 4 §5.6): created on one secure channel, activated with a user identity, touched by every request,
/// closed by the client or by its timeout. Holds the session's browse continuation points; part 2 hangs its
/// subscriptions and publish queue here.
/// </summary>
public sealed class ServerSession
{
    private readonly ConcurrentDictionary<ulong, BrowseContinuation> _continuations = new();
    private long _lastActivityTicks;
    private ulong _nextContinuation;

    internal ServerSession(NodeId sessionId, NodeId authenticationToken, string? name, TimeSpan timeout, uint channelId)
    {
        SessionId = sessionId;
        AuthenticationToken = authenticationToken;
        Name = name;
        Timeout = timeout;
        ChannelId = channelId;
        Touch();
    }

    public NodeId SessionId { get; }

    public NodeId AuthenticationToken { get; }

    public string? Name { get; }

    /// <summary>The ApplicationUri of the client's ClientDescription in CreateSession.</summary>
    public string? ClientApplicationUri { get; internal set; }

    public TimeSpan Timeout { get; }

    /// <summary>The secure channel the session is bound to (rebinding by ActivateSession is part 2's reconnection).</summary>
    public uint ChannelId { get; internal set; }

    public bool IsActivated { get; internal set; }

    /// <summary>"anonymous" or the user name that activated the session.</summary>
    public string? UserName { get; internal set; }

    public byte[] ServerNonce { get; internal set; } = NewNonce();

    public DateTime LastActivity => new(Interlocked.Read(ref _lastActivityTicks), DateTimeKind.Utc);

    /// <summary>When CreateSession made it.</summary>
    public DateTime CreatedAt { get; } = DateTime.UtcNow;

    /// <summary>How long a session may wait for its first ActivateSession (<see cref="ServerLimits.UnactivatedSessionTimeout"/>).</summary>
    internal TimeSpan UnactivatedTimeout { get; init; } = System.Threading.Timeout.InfiniteTimeSpan;

    public bool IsExpired(DateTime now) =>
        now - LastActivity > Timeout ||
        (!IsActivated && UnactivatedTimeout != System.Threading.Timeout.InfiniteTimeSpan && now - CreatedAt > UnactivatedTimeout);

    internal void Touch() => Interlocked.Exchange(ref _lastActivityTicks, DateTime.UtcNow.Ticks);

    internal static byte[] NewNonce() => RandomNumberGenerator.GetBytes(32);

    /// <summary>
    /// Stores where a browse stopped. At the maximum, the oldest point of an earlier request is freed (Part 4 §7.6);
    /// null when all are this request's own.
    /// </summary>
    internal byte[]? AddContinuation(BrowseContinuation continuation, int max)
    {
        while (_continuations.Count >= max)
        {
            var oldest = _continuations.Where(c => c.Value.Request != continuation.Request).Select(c => c.Key).DefaultIfEmpty(0UL).Min();
            if (oldest == 0)
            {
                return null;
            }

            _continuations.TryRemove(oldest, out _);
        }

        var id = Interlocked.Increment(ref _nextContinuation);
        _continuations[id] = continuation;
        return BitConverter.GetBytes(id);
    }

    internal bool TryTakeContinuation(byte[]? point, out BrowseContinuation continuation)
    {
        continuation = null!;
        return point is { Length: 8 } && _continuations.TryRemove(BitConverter.ToUInt64(point), out continuation!);
    }

    internal int ContinuationCount => _continuations.Count;

    private uint _publishTurn;

    /// <summary>Rotates the order in which subscriptions of equal priority answer Publish requests.</summary>
    internal uint NextPublishTurn() => Interlocked.Increment(ref _publishTurn);

    /// <summary>The session's subscriptions by id.</summary>
    internal ConcurrentDictionary<uint, Subscription> Subscriptions { get; } = new();

    /// <summary>Publish requests parked until a subscription has something to send.</summary>
    internal PublishQueue PublishQueue { get; } = new();

    /// <summary>Status changes (timeout, transfer) of subscriptions no longer in <see cref="Subscriptions"/>.</summary>
    internal ConcurrentQueue<StatusNotice> StatusNotices { get; } = new();

    internal Lock NoticeGate { get; } = new();

    /// <summary>CloseSession's DeleteSubscriptions; false (keep for transfer) when the session times out.</summary>
    internal bool DeleteSubscriptionsOnClose { get; set; }

    /// <summary>The client's MaxResponseMessageSize from CreateSession (0: no limit).</summary>
    internal uint MaxResponseMessageSize { get; set; }

    /// <summary>Subscriptions of this session (for diagnostics and tests).</summary>
    public int SubscriptionCount => Subscriptions.Count;
}

/// <summary>
/// Where a browse stopped: the node's references are read again from <paramref name="Position"/> (an index into the
/// node's reference list) on BrowseNext, so a continuation point holds no references. <paramref name="Request"/> tells
/// which request made it (points of earlier requests may be freed for a new one).
/// </summary>
internal sealed record BrowseContinuation(BrowseDescription Description, int Position, int PageSize, object Request);
