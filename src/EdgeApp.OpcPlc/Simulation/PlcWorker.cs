using System.Diagnostics;
using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Nodes;
using Microsoft.Extensions.Options;

namespace EdgeApp.OpcPlc.Simulation;

/// <summary>
/// Starts the PLC (address space, opc.tcp listener, pn.json) and drives its node families: one timer per rate, each
/// tick updating every family of that rate. A tick that overruns its period skips the missed ticks (no backlog).
/// </summary>
public sealed partial class PlcWorker(
    PlcServer plc,
    IOptions<OpcPlcOptions> options,
    PlcCommandLine commandLine,
    PlcMetrics metrics,
    TimeProvider time,
    ILogger<PlcWorker> logger) : BackgroundService
{
    private int _runningTimers;

    /// <summary>Timers created and ticking (one per rate group); for tests that drive a fake clock.</summary>
    internal int RunningTimers => Volatile.Read(ref _runningTimers);

    /// <summary>The rate groups: families that share a period share a timer.</summary>
    public static IReadOnlyList<RateGroup> Group(IEnumerable<ISimulatedNodes> families) =>
        [.. families.GroupBy(f => f.Period).OrderBy(g => g.Key).Select(g => new RateGroup(g.Key, [.. g]))];

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var warning in commandLine.Warnings)
        {
            LogIgnoredOption(warning);
        }

        var settings = options.Value;
        if (settings.AutoAcceptCertificates)
        {
            LogAutoAccept();
        }

        try
        {
            var started = Stopwatch.GetTimestamp();
            await plc.StartAsync(stoppingToken);
            LogListening(plc.EndpointUrl, plc.VariableCount, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
        catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
        {
            LogStartFailed(ex.Message);
            Environment.ExitCode = 1;
            throw;
        }

        if (settings.PublishedNodes.Write)
        {
            try
            {
                LogPublishedNodesWritten(await plc.WritePublishedNodesAsync(stoppingToken));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // A read-only file system (a hardened pod) must not stop the PLC: /pn.json still serves it.
                LogPublishedNodesNotWritten(settings.PublishedNodes.Path, ex.Message);
            }
        }

        var groups = Group(plc.Families);
        foreach (var group in groups)
        {
            LogRateGroup(group.Period.TotalMilliseconds, string.Join(", ", group.Families.Select(f => f.Name).Distinct()));
        }

        await Task.WhenAll(groups.Select(g => Task.Run(() => RunAsync(g, stoppingToken), CancellationToken.None)));
    }

    private async Task RunAsync(RateGroup group, CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(group.Period, time);
        Interlocked.Increment(ref _runningTimers);
        var families = group.Families.ToArray();
        var failures = new int[families.Length]; // per family: one failing family does not silence the others' logs
        Action<Exception, string> logFailure = (ex, name) => LogTickFailed(ex, name);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var started = Stopwatch.GetTimestamp();
                var now = time.GetUtcNow().UtcDateTime;
                TickAll(families, failures, now, logFailure);
                metrics.RecordTick(group.Period, Stopwatch.GetElapsedTime(started));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    /// <summary>
    /// One tick of every family of a rate group. A failing family is logged for its first 10 failures (counted per
    /// family, so one broken family does not silence the others) and never stops the others.
    /// </summary>
    internal static void TickAll(ISimulatedNodes[] families, int[] failures, DateTime now, Action<Exception, string> logFailure)
    {
        for (var i = 0; i < families.Length; i++)
        {
            try
            {
                families[i].Tick(now);
            }
#pragma warning disable CA1031 // Keep simulating whatever one family throws.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                if (++failures[i] <= 10)
                {
                    logFailure(ex, families[i].Name);
                }
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await plc.DisposeAsync();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Warning}")]
    private partial void LogIgnoredOption(string warning);

    [LoggerMessage(Level = LogLevel.Information, Message = "--aa: client certificates will be trusted once secure policies exist; the server offers SecurityPolicy None for now")]
    private partial void LogAutoAccept();

    [LoggerMessage(Level = LogLevel.Information, Message = "OPC PLC listening on {EndpointUrl} with {Variables} variables (address space built in {Milliseconds} ms)")]
    private partial void LogListening(string endpointUrl, int variables, long milliseconds);

    [LoggerMessage(Level = LogLevel.Critical, Message = "OPC PLC could not start: {Problem}")]
    private partial void LogStartFailed(string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Published nodes file written to {Path}")]
    private partial void LogPublishedNodesWritten(string path);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Published nodes file {Path} could not be written ({Problem}); it is still served at /pn.json")]
    private partial void LogPublishedNodesNotWritten(string path, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "Updating every {PeriodMs} ms: {Families}")]
    private partial void LogRateGroup(double periodMs, string families);

    [LoggerMessage(Level = LogLevel.Error, Message = "Updating the {Family} nodes failed")]
    private partial void LogTickFailed(Exception exception, string family);
}

/// <summary>Node families updated together by one timer.</summary>
public sealed record RateGroup(TimeSpan Period, IReadOnlyList<ISimulatedNodes> Families);
