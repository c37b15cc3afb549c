using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace EdgeApp.Messaging.Transports.RedisStreams;

/// <summary>
/// Owns the Redis connections: one shared multiplexer for publishing and acknowledging, and dedicated ones for
/// blocking reads (a blocked XREADGROUP would stall every command queued behind it on a shared connection).
/// Connections never abort on failure; they reconnect in the background while callers back off.
/// </summary>
internal sealed class RedisConnections : IAsyncDisposable
{
    private readonly ConfigurationOptions configuration;
    private readonly Lazy<Task<ConnectionMultiplexer>> shared;

    public RedisConnections(IConfiguration appConfiguration, IOptions<MessagingOptions> options)
    {
        var name = options.Value.RedisStreams.ConnectionName;
        var connectionString = appConfiguration.GetConnectionString(name);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new OptionsValidationException(
                name,
                typeof(RedisStreamsOptions),
                [$"ConnectionStrings:{name} is not set; the RedisStreams transport needs the Redis connection string."]);
        }

        configuration = ConfigurationOptions.Parse(connectionString);
        configuration.AbortOnConnectFail = false;

        // An edge broker restarts in seconds: try again soon rather than after the client's default back-off.
        configuration.ReconnectRetryPolicy = new ExponentialRetry(deltaBackOffMilliseconds: 250, maxDeltaBackOffMilliseconds: 5000);
        configuration.ClientName ??= options.Value.AppId;
        shared = new(() => ConnectionMultiplexer.ConnectAsync(configuration.Clone()));
    }

    public async Task<IDatabase> GetDatabaseAsync() => (await shared.Value.ConfigureAwait(false)).GetDatabase();

    public bool IsConnected => shared.IsValueCreated && shared.Value.IsCompletedSuccessfully && shared.Value.Result.IsConnected;

    /// <summary>A connection of its own for blocking reads of <paramref name="readTimeout"/>.</summary>
    public async Task<ConnectionMultiplexer> ConnectDedicatedAsync(TimeSpan readTimeout)
    {
        var dedicated = configuration.Clone();
        dedicated.AsyncTimeout = Math.Max(dedicated.AsyncTimeout, (int)readTimeout.TotalMilliseconds + 5000);
        return await ConnectionMultiplexer.ConnectAsync(dedicated).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (shared.IsValueCreated)
        {
            try
            {
                await (await shared.Value.ConfigureAwait(false)).DisposeAsync().ConfigureAwait(false);
            }
            catch (RedisException)
            {
                // Closing a connection that never came up has nothing to release.
            }
        }
    }
}
