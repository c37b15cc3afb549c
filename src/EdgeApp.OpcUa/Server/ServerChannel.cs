using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.OpcUa.Server;

/// <summary>
/// The server side of one secure channel (Part 6 §6.7): its id, policy and security tokens. After a renewal the old
/// token stays valid until the client first uses the new one or the old one expires (Part 4 §5.5.2), so requests in
/// flight across a renewal are not rejected.
/// </summary>
internal sealed class ServerChannel(uint channelId, ISecurityPolicy policy, ServerLimits limits)
{
    private sealed record Token(ChannelSecurityToken Security, IChunkProtection Protection, ChunkHeaders Headers, DateTime ExpiresAt);

    private Token? _current;
    private Token? _previous;
    private Token? _sending;
    private uint _lastTokenId;

    public uint ChannelId { get; } = channelId;

    public ISecurityPolicy Policy { get; } = policy;

    public ChunkHeaders OpenHeaders { get; } = new(MessageTypes.OpenSecureChannel, channelId, 0, policy.Uri, null, null, 0);

    /// <summary>Issues (or renews to) a new token for the requested lifetime, clamped to the server's limits.</summary>
    public ChannelSecurityToken IssueToken(uint requestedLifetimeMs)
    {
        var requested = TimeSpan.FromMilliseconds(requestedLifetimeMs == 0 ? limits.MaxTokenLifetime.TotalMilliseconds : requestedLifetimeMs);
        var lifetime = requested < limits.MinTokenLifetime ? limits.MinTokenLifetime : requested > limits.MaxTokenLifetime ? limits.MaxTokenLifetime : requested;
        var security = new ChannelSecurityToken
        {
            ChannelId = ChannelId,
            TokenId = ++_lastTokenId,
            CreatedAt = DateTime.UtcNow,
            RevisedLifetime = (uint)lifetime.TotalMilliseconds,
        };
        var protection = Policy.CreateSymmetric(MessageSecurityModeKind.None, [], [], isClient: false);
        var headers = new ChunkHeaders(MessageTypes.Message, ChannelId, security.TokenId, null, null, null, 0);

        // Clients may keep using a token for 25% past its lifetime (Part 6 §6.7.4).
        var token = new Token(security, protection, headers, security.CreatedAt + lifetime * 1.25);
        _previous = _current;
        _current = token;
        _sending ??= token;
        return security;
    }

    /// <summary>The newest token passed its lifetime + 25% without a renewal: the channel must be closed.</summary>
    public bool IsExpired(DateTime now) => Volatile.Read(ref _current) is { } current && now > current.ExpiresAt;

    /// <summary>The protection for a received MSG/CLO chunk's token, or BadSecureChannelTokenUnknown.</summary>
    public IChunkProtection ProtectionFor(uint tokenId)
    {
        var now = DateTime.UtcNow;
        if (_current is { } current && current.Security.TokenId == tokenId && now <= current.ExpiresAt)
        {
            // The client switched to the new token: retire the old one and answer with the new one from now on.
            _previous = null;
            _sending = current;
            return current.Protection;
        }

        if (_previous is { } previous && previous.Security.TokenId == tokenId && now <= previous.ExpiresAt)
        {
            return previous.Protection;
        }

        throw new OpcUaException(StatusCodes.BadSecureChannelTokenUnknown, $"Token {tokenId} is unknown or expired.");
    }

    /// <summary>
    /// Headers and protection for responses: the newest token the client has used, so a renewal never makes the server
    /// answer with keys the client has not activated yet (Part 4 §5.5.2).
    /// </summary>
    public (ChunkHeaders Headers, IChunkProtection Protection) Sending =>
        Volatile.Read(ref _sending) is { } token ? (token.Headers, token.Protection) : throw new OpcUaException(StatusCodes.BadSecureChannelClosed);
}
