using System.Globalization;
using System.Text;

namespace EdgeApp.OpcPlc.Configuration;

/// <summary>
/// OPC PLC's command line: <c>--pn=50000</c>, <c>--pn 50000</c>, <c>-pn:50000</c>, <c>--portnum=50000</c>,
/// <c>--sph</c>, <c>--aa-</c>. Supported flags become "OpcPlc:..." configuration settings (applied over
/// appsettings and the environment, later flags win); OPC PLC flags this simulator does not implement, and unknown
/// flags, become warnings. ASP.NET Core arguments (<c>--urls</c>, <c>--OpcPlc:Port=1</c>, ...) pass through.
/// </summary>
public sealed class PlcCommandLine
{
    private PlcCommandLine()
    {
    }

    /// <summary>Configuration settings from the flags, in command-line order.</summary>
    public List<KeyValuePair<string, string?>> Settings { get; } = [];

    /// <summary>Arguments for the ASP.NET Core host (configuration in its own syntax).</summary>
    public List<string> HostArgs { get; } = [];

    /// <summary>Flags that were ignored, with the reason; logged at start.</summary>
    public List<string> Warnings { get; } = [];

    /// <summary>Flags that could not be understood (a bad value); the app refuses to start.</summary>
    public List<string> Errors { get; } = [];

    public bool HelpRequested { get; private set; }

    public static PlcCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new PlcCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (!TrySplit(arg, out var name, out var inlineValue))
            {
                result.Warnings.Add($"Ignored the argument '{arg}': OPC PLC options start with '--'.");
                continue;
            }

            if (Flags.TryGetValue(name, out var flag))
            {
                var value = inlineValue;
                if (value is null && flag.TakesValue && i + 1 < args.Count && !LooksLikeFlag(args[i + 1]))
                {
                    value = args[++i];
                }

                result.Apply(flag, name, value);
            }
            else if (IsHostArgument(name))
            {
                result.HostArgs.Add(arg);
                if (inlineValue is null && i + 1 < args.Count && !LooksLikeFlag(args[i + 1]))
                {
                    result.HostArgs.Add(args[++i]);
                }
            }
            else
            {
                var known = UnsupportedFlags.Contains(name);
                if (inlineValue is null && i + 1 < args.Count && !LooksLikeFlag(args[i + 1]))
                {
                    i++; // its value
                }

                result.Warnings.Add(!known
                    ? $"Unknown option --{name} is ignored (see --help for the supported OPC PLC options)."
                    : IgnoredBecause.TryGetValue(name, out var reason)
                        ? $"The OPC PLC option --{name} is ignored: {reason}"
                        : $"The OPC PLC option --{name} is not supported by this simulator and is ignored.");
            }
        }

        return result;
    }

    /// <summary>The flags that set <paramref name="configKey"/> (for messages): "--sn, --slownodes".</summary>
    public static IReadOnlyList<string> FlagsFor(string configKey) =>
        FlagTable.Where(f => f.Targets.Any(t => string.Equals(t.Key, configKey, StringComparison.OrdinalIgnoreCase)))
            .Select(f => "--" + f.Short)
            .ToList();

    /// <summary>The supported options, for <c>--help</c>.</summary>
    public static string Usage()
    {
        var text = new StringBuilder();
        text.AppendLine("EdgeApp OPC PLC: an OPC UA PLC simulator with OPC PLC's nodes and options.");
        text.AppendLine("Usage: EdgeApp.OpcPlc [--option=value ...]   (also configurable as OpcPlc:* settings)");
        text.AppendLine();
        foreach (var flag in FlagTable)
        {
            var names = $"--{flag.Short}, --{flag.Long}{(flag.TakesValue ? "=VALUE" : string.Empty)}";
            text.AppendLine(CultureInfo.InvariantCulture, $"  {names,-36} {flag.Help}");
            text.AppendLine(CultureInfo.InvariantCulture, $"  {string.Empty,-36} -> {string.Join(", ", flag.Targets.Select(t => t.Key))}");
        }

        text.AppendLine();
        text.AppendLine("Accepted with a warning and ignored: " + string.Join(" ", UnsupportedFlags.Order(StringComparer.Ordinal).Select(f => "--" + f)));
        return text.ToString();
    }

    private void Apply(Flag flag, string name, string? value)
    {
        if (flag.Kind == FlagKind.Help)
        {
            HelpRequested = true;
            return;
        }

        if (flag.Kind == FlagKind.Switch)
        {
            // Mono.Options switches: --aa, --aa+ (on), --aa- (off); --aa=true/false is accepted as well.
            bool on;
            if (value is null || value == "+")
            {
                on = true;
            }
            else if (value == "-")
            {
                on = false;
            }
            else if (!bool.TryParse(value, out on))
            {
                Errors.Add($"--{name}: '{value}' is not true or false (the option is a switch: --{name} or --{name}-).");
                return;
            }

            foreach (var (key, whenOn) in flag.Targets)
            {
                // A target set to "false" when the switch is on (--nv: DataValues=false) is inverted when it is off.
                Settings.Add(new(key, on ? whenOn : Invert(whenOn)));
            }

            return;
        }

        if (value is null)
        {
            Errors.Add($"--{name} needs a value: --{name}=VALUE.");
            return;
        }

        if (flag.Convert(value) is { } converted)
        {
            Settings.Add(new(flag.Targets[0].Key, converted));
        }
        else
        {
            Errors.Add($"--{name}: '{value}' is not valid, expected {flag.Expected}.");
        }
    }

    private static string? Invert(string? value) => value switch
    {
        "true" => "false",
        "false" => "true",
        _ => value,
    };

    private static bool TrySplit(string arg, out string name, out string? value)
    {
        name = string.Empty;
        value = null;
        var body = arg.StartsWith("--", StringComparison.Ordinal) ? arg[2..]
            : arg.Length > 1 && arg[0] == '-' ? arg[1..]
            : arg.Length > 1 && arg[0] == '/' && IsSlashFlag(arg) ? arg[1..]
            : null;
        if (string.IsNullOrEmpty(body))
        {
            return false;
        }

        var separator = body.IndexOfAny(['=', ':']);
        // "OpcPlc:Port=1" is configuration syntax: split at '=' only, so the key keeps its ':'.
        if (separator > 0 && body[separator] == ':' && body.IndexOf('=', StringComparison.Ordinal) > separator)
        {
            separator = body.IndexOf('=', StringComparison.Ordinal);
        }

        if (separator > 0)
        {
            name = body[..separator];
            value = body[(separator + 1)..];
        }
        else if (body.Length > 1 && (body[^1] == '+' || body[^1] == '-') && Flags.ContainsKey(body[..^1]))
        {
            name = body[..^1];
            value = body[^1..];
        }
        else
        {
            name = body;
        }

        return true;
    }

    // A value may start with '/' (a path) or '-' (a negative bound): only treat those as flags when they are.
    private static bool LooksLikeFlag(string arg) =>
        arg.StartsWith("--", StringComparison.Ordinal)
        || (arg.Length > 1 && arg[0] == '-' && !double.TryParse(arg, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        || (arg.Length > 1 && arg[0] == '/' && IsSlashFlag(arg));

    private static bool IsSlashFlag(string arg)
    {
        var end = arg.IndexOfAny(['=', ':'], 1);
        var name = end < 0 ? arg[1..] : arg[1..end];
        return Flags.ContainsKey(name.TrimEnd('+', '-')) || UnsupportedFlags.Contains(name);
    }

    private static bool IsHostArgument(string name) =>
        name.Contains(':', StringComparison.Ordinal) || name.Contains("__", StringComparison.Ordinal) || HostKeys.Contains(name);

    private static readonly HashSet<string> HostKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "urls", "environment", "contentRoot", "webRoot", "applicationName", "http_ports", "https_ports",
        "hostingStartupAssemblies", "preventHostingStartup", "detailedErrors", "shutdownTimeoutSeconds", "AllowedHosts",
    };

    private enum FlagKind
    {
        Value,
        Switch,
        Help,
    }

    private sealed record Flag(string Short, string Long, FlagKind Kind, string Help, string Expected, Func<string, string?> Convert, params (string Key, string? Value)[] Targets)
    {
        public bool TakesValue => Kind == FlagKind.Value;
    }

    private static Flag Value(string shortName, string longName, string key, string help, string expected, Func<string, string?> convert) =>
        new(shortName, longName, FlagKind.Value, help, expected, convert, (key, null));

    private static Flag Switch(string shortName, string longName, string help, params (string Key, string? Value)[] targets) =>
        new(shortName, longName, FlagKind.Switch, help, "a switch", _ => null, targets);

    private static string? UInt(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v.ToString(CultureInfo.InvariantCulture) : null;

    private static string? Port(string text) =>
        ushort.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) ? v.ToString(CultureInfo.InvariantCulture) : null;

    private static string? SecondsAsMs(string text) =>
        uint.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var v) && v <= int.MaxValue / 1000
            ? (v * 1000L).ToString(CultureInfo.InvariantCulture)
            : null;

    private static string? Number(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v) ? v.ToString("R", CultureInfo.InvariantCulture) : null;

    private static string? Boolean(string text) => bool.TryParse(text, out var v) ? (v ? "true" : "false") : null;

    private static string? NodeType(string text) =>
        Enum.TryParse<SlowFastType>(text, ignoreCase: true, out var v) && Enum.IsDefined(v) && !int.TryParse(text, out _) ? v.ToString() : null;

    private static string? Text(string text) => text.Length > 0 ? text : null;

    private static readonly Flag[] FlagTable =
    [
        Value("pn", "portnum", "OpcPlc:Port", "The OPC UA server port; default 50000", "a port number 0-65535", Port),
        Value("op", "path", "OpcPlc:Path", "The path part of the endpoint URL; default none", "a path", Text),
        Value("ph", "plchostname", "OpcPlc:Hostname", "The host name of the PLC (endpoint URL, pn.json); default the machine's", "a host name", Text),
        Value("sc", "simulationcyclecount", "OpcPlc:SimulationCycleCount", "Cycles in one simulation phase; default 50", "a whole number", UInt),
        Value("ct", "cycletime", "OpcPlc:CycleTimeMs", "Length of one cycle in milliseconds; default 100", "a whole number of milliseconds", UInt),
        Switch("nv", "nodatavalues", "Do not generate StepUp, AlternatingBoolean and the random values", ("OpcPlc:DataValues", "false")),
        Switch("ns", "nospikes", "Do not generate SpikeData", ("OpcPlc:Spikes", "false")),
        Switch("nd", "nodips", "Do not generate DipData", ("OpcPlc:Dips", "false")),
        Switch("np", "nopostrend", "Do not generate PositiveTrendData", ("OpcPlc:PositiveTrend", "false")),
        Switch("nn", "nonegtrend", "Do not generate NegativeTrendData", ("OpcPlc:NegativeTrend", "false")),
        Value("sn", "slownodes", "OpcPlc:Slow:Count", "Number of slow nodes; default 1", "a whole number", UInt),
        Value("sr", "slowrate", "OpcPlc:Slow:RateMs", "Rate in seconds to change slow nodes; default 10", "a whole number of seconds", SecondsAsMs),
        Value("st", "slowtype", "OpcPlc:Slow:Type", "Data type of slow nodes; default UInt", "UInt, Double, Bool or UIntArray", NodeType),
        Value("stl", "slowtypelowerbound", "OpcPlc:Slow:LowerBound", "Lower bound of slow UInt/Double values", "a number", Number),
        Value("stu", "slowtypeupperbound", "OpcPlc:Slow:UpperBound", "Upper bound of slow UInt/Double values", "a number", Number),
        Value("str", "slowtyperandomization", "OpcPlc:Slow:Randomize", "Random slow UInt/Double values; default false", "true or false", Boolean),
        Value("sts", "slowtypestepsize", "OpcPlc:Slow:StepSize", "Step of slow UInt/Double values; default 1", "a number", Number),
        Value("ssi", "slownodesamplinginterval", "OpcPlc:Slow:SamplingIntervalMs", "Sampling interval of slow nodes in pn.json, ms; default 0", "a whole number of milliseconds", UInt),
        Value("fn", "fastnodes", "OpcPlc:Fast:Count", "Number of fast nodes; default 1", "a whole number", UInt),
        Value("fr", "fastrate", "OpcPlc:Fast:RateMs", "Rate in seconds to change fast nodes; default 1", "a whole number of seconds", SecondsAsMs),
        Value("vfr", "veryfastrate", "OpcPlc:Fast:RateMs", "Rate in milliseconds to change fast nodes", "a whole number of milliseconds", UInt),
        Value("ft", "fasttype", "OpcPlc:Fast:Type", "Data type of fast nodes; default UInt", "UInt, Double, Bool or UIntArray", NodeType),
        Value("ftl", "fasttypelowerbound", "OpcPlc:Fast:LowerBound", "Lower bound of fast UInt/Double values", "a number", Number),
        Value("ftu", "fasttypeupperbound", "OpcPlc:Fast:UpperBound", "Upper bound of fast UInt/Double values", "a number", Number),
        Value("ftr", "fasttyperandomization", "OpcPlc:Fast:Randomize", "Random fast UInt/Double values; default false", "true or false", Boolean),
        Value("fts", "fasttypestepsize", "OpcPlc:Fast:StepSize", "Step of fast UInt/Double values; default 1", "a number", Number),
        Value("fsi", "fastnodesamplinginterval", "OpcPlc:Fast:SamplingIntervalMs", "Sampling interval of fast nodes in pn.json, ms; default 0", "a whole number of milliseconds", UInt),
        Value("nf", "nodesfile", "OpcPlc:NodesFile", "JSON file of user-defined nodes", "a file name", Text),
        Switch("sp", "showpnjson", "Write pn.json with the IP address in EndpointUrl", ("OpcPlc:PublishedNodes:Write", "true"), ("OpcPlc:PublishedNodes:UseIpAddress", "true")),
        Switch("sph", "showpnjsonph", "Write pn.json with the host name (--ph) in EndpointUrl", ("OpcPlc:PublishedNodes:Write", "true"), ("OpcPlc:PublishedNodes:UseIpAddress", "false")),
        Value("spf", "showpnfname", "OpcPlc:PublishedNodes:Path", "File name of pn.json; default pn.json", "a file name", Text),
        Switch("aa", "autoaccept", "Trust all client certificates (takes effect once secure policies exist)", ("OpcPlc:AutoAcceptCertificates", "true")),
        Switch("ut", "unsecuretransport", "Offer SecurityPolicy None (the only policy offered for now)", ("OpcPlc:UnsecureTransport", "true")),
        new("h", "help", FlagKind.Help, "Show this help and exit", "a switch", _ => null),
    ];

    private static readonly Dictionary<string, Flag> Flags = FlagTable
        .SelectMany(f => new[] { (f.Short, f), (f.Long, f) })
        .ToDictionary(p => p.Item1, p => p.f, StringComparer.OrdinalIgnoreCase);

    private static readonly Dictionary<string, string> IgnoredBecause = new(StringComparer.OrdinalIgnoreCase)
    {
        ["wp"] = "pn.json is served at /pn.json on the app's HTTP endpoint (ASPNETCORE_URLS or --urls).",
        ["webport"] = "pn.json is served at /pn.json on the app's HTTP endpoint (ASPNETCORE_URLS or --urls).",
        ["ll"] = "log levels are Logging:LogLevel:* settings.",
        ["loglevel"] = "log levels are Logging:LogLevel:* settings.",
        ["lf"] = "logs go to the console and OpenTelemetry.",
        ["logfile"] = "logs go to the console and OpenTelemetry.",
    };

    /// <summary>OPC PLC options (short and long names) this simulator accepts and ignores with a warning.</summary>
    private static readonly HashSet<string> UnsupportedFlags = new(StringComparer.OrdinalIgnoreCase)
    {
        // logging
        "lf", "logfile", "lt", "logflushtimespan", "ll", "loglevel",
        // events, alarms, companion specifications
        "ei", "eventinstances", "er", "eventrate", "alm", "alarms", "ses", "simpleevents", "dalm", "deterministicalarms",
        "sl", "stacklight", "pu", "pumps", "wotcon", "b2ts", "b2bt", "b2tt", "b2mi", "b2oi", "ctb", "complextypeboiler",
        // other node families
        "gn", "guidnodes", "ref", "referencenodes", "vfbs", "veryfastbsnodes", "vfbss", "veryfastbssize", "vfbsr", "veryfastbsrate",
        "ns2", "nodeset2file", "unf", "uanodesfile", "lid", "longid", "lsn", "longstringnodes",
        // OPC UA stack, certificates and users
        "ol", "opcmaxstringlen", "lr", "ldsreginterval", "to", "trustowncert", "at", "appcertstoretype", "ap", "appcertstorepath",
        "tp", "trustedcertstorepath", "rp", "rejectedcertstorepath", "ip", "issuercertstorepath", "csr", "ab", "applicationcertbase64",
        "af", "applicationcertfile", "pb", "privatekeybase64", "pk", "privatekeyfile", "cp", "certpassword", "tb", "addtrustedcertbase64",
        "tf", "addtrustedcertfile", "ib", "addissuercertbase64", "if", "addissuercertfile", "rb", "updatecrlbase64", "uc", "updatecrlfile",
        "rc", "removecert", "daa", "disableanonymousauth", "dua", "disableusernamepasswordauth", "dca", "disablecertauth",
        "au", "adminuser", "ac", "adminpassword", "du", "defaultuser", "dc", "defaultpassword", "cdn", "certdnsnames",
        "tuf", "trustuserfile",
        // web server, operations
        "wp", "webport", "msec", "maxsessioncount", "msuc", "maxsubscriptioncount", "mqrc", "maxqueuedrequestcount",
        "otlpub", "otlpendpoint", "otlee", "otlei", "chaos", "ctr",
    };
}
