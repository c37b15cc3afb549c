using EdgeApp.Deploy.Expressions;

namespace EdgeApp.Deploy.Workloads;

/// <summary>
/// Turns on Redis' append-only file, so acknowledged stream entries survive a restart: appends
/// <c>--appendonly yes</c> to the <c>redis-server</c> command line, whether it is passed as arguments or inside
/// a <c>sh -c</c> script (as Aspire's Redis resource does).
/// </summary>
public static class RedisPersistence
{
    public const string DataPath = "/data";

    /// <summary>The Redis image's own <c>redis</c> user and group.</summary>
    public const long RedisUser = 999;

    public static IReadOnlyList<ResolvedValue> WithAppendOnly(string? entrypoint, IReadOnlyList<ResolvedValue> args)
    {
        if (args.Any(a => a.ToString().Contains("--appendonly", StringComparison.Ordinal)))
        {
            return args;
        }

        var isShell = entrypoint is not null && Path.GetFileName(entrypoint) is "sh" or "bash" or "ash";
        if (isShell)
        {
            var scriptIndex = args.Count - 1;
            if (scriptIndex < 0 || !args[scriptIndex].ToString().Contains("redis-server", StringComparison.Ordinal))
            {
                return args;
            }

            var script = ResolvedValue.Concat([args[scriptIndex], ResolvedValue.Literal(" --appendonly yes")]);
            return [.. args.Take(scriptIndex), script];
        }

        return [.. args, ResolvedValue.Literal("--appendonly"), ResolvedValue.Literal("yes")];
    }
}
