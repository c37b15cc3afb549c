using System.Collections.Concurrent;
using System.Security.Cryptography;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Server;

/// <summary>All sessions of a server, found by authentication token; expires the silent ones.</summary>
public sealed class SessionManager(ServerLimits limits)
{
    private readonly ConcurrentDictionary<NodeId, ServerSession> _byToken = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public IEnumerable<ServerSession> Sessions => _byToken.Values;

    /// <summary>Raised after a session is removed (closed or expired); part 2 deletes its subscriptions here.</summary>
    public event Action<ServerSession>? SessionClosed;

    public ServerSession Create(string? name, double requestedTimeoutMs, uint channelId)
    {
        var onChannel = 0;
        foreach (var existing in _byToken.Values)
        {
            if (existing.ChannelId == channelId)
            {
                onChannel++;
            }
        }

        if (onChannel >= limits.MaxSessionsPerChannel)
        {
            throw new OpcUaException(StatusCodes.BadTooManySessions, $"At most {limits.MaxSessionsPerChannel} sessions per secure channel.");
        }

        if (Interlocked.Increment(ref _count) > limits.MaxSessions)
        {
            Interlocked.Decrement(ref _count);
            throw new OpcUaException(StatusCodes.BadTooManySessions, $"The server allows {limits.MaxSessions} sessions.");
        }

        var requested = double.IsFinite(requestedTimeoutMs) && requestedTimeoutMs > 0
            ? TimeSpan.FromMilliseconds(Math.Min(requestedTimeoutMs, TimeSpan.MaxValue.TotalMilliseconds / 2))
            : limits.MaxSessionTimeout;
        var timeout = requested < limits.MinSessionTimeout ? limits.MinSessionTimeout
            : requested > limits.MaxSessionTimeout ? limits.MaxSessionTimeout : requested;

        // The session id is public; the authentication token is the secret every request must carry.
        var session = new ServerSession(new NodeId(Guid.NewGuid(), 1), new NodeId(RandomNumberGenerator.GetBytes(32), 0), name, timeout, channelId)
        {
            UnactivatedTimeout = limits.UnactivatedSessionTimeout < timeout ? limits.UnactivatedSessionTimeout : timeout,
        };
        _byToken[session.AuthenticationToken] = session;
        return session;
    }

    public bool TryGet(NodeId authenticationToken, out ServerSession session) => _byToken.TryGetValue(authenticationToken, out session!);

    public bool Close(ServerSession session)
    {
        if (!_byToken.TryRemove(session.AuthenticationToken, out _))
        {
            return false;
        }

        Interlocked.Decrement(ref _count);
        SessionClosed?.Invoke(session);
        return true;
    }

    /// <summary>A secure channel closed: sessions created on it and never activated cannot be used any more.</summary>
    internal void CloseUnactivated(uint channelId)
    {
        foreach (var session in _byToken.Values)
        {
            if (session.ChannelId == channelId && !session.IsActivated)
            {
                Close(session);
            }
        }
    }

    /// <summary>Whether an activated session is bound to the secure channel.</summary>
    internal bool HasActivatedSessionOn(uint channelId)
    {
        foreach (var session in _byToken.Values)
        {
            if (session.ChannelId == channelId && session.IsActivated)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Closes sessions whose timeout passed without a request; returns how many.</summary>
    public int CloseExpired(DateTime now)
    {
        var closed = 0;
        foreach (var session in _byToken.Values)
        {
            if (session.IsExpired(now) && Close(session))
            {
                closed++;
            }
        }

        return closed;
    }
}
