using System.ComponentModel.DataAnnotations;

namespace EdgeApp.OpcPlc.Configuration;

/// <summary>
/// The "OpcPlc" configuration section. Every setting has the meaning of the OPC PLC option named next to it; the
/// command line (<see cref="PlcCommandLine"/>) maps OPC PLC's flags onto these keys.
/// </summary>
public sealed class OpcPlcOptions : IValidatableObject
{
    public const string SectionName = "OpcPlc";

    /// <summary>The opc.tcp port (<c>--pn</c>); 0 picks a free port.</summary>
    public int Port { get; set; } = 50000;

    /// <summary>The host name in the endpoint URL and in pn.json (<c>--ph</c>); the machine's host name when unset.</summary>
    public string? Hostname { get; set; }

    /// <summary>The path part of the endpoint URL (<c>--op</c>), for example "/UA/Plc"; empty by default.</summary>
    public string Path { get; set; } = string.Empty;

    /// <summary>Listen on every interface (a PLC in a container must); false listens on loopback only.</summary>
    public bool ListenOnAnyAddress { get; set; } = true;

    /// <summary>Cycles in one simulation phase (<c>--sc</c>): the sine of SpikeData/DipData has this period in cycles.</summary>
    public int SimulationCycleCount { get; set; } = 50;

    /// <summary>Length of one cycle in milliseconds (<c>--ct</c>): the rate of the basic and anomaly nodes.</summary>
    public int CycleTimeMs { get; set; } = 100;

    /// <summary>StepUp, AlternatingBoolean, RandomSignedInt32, RandomUnsignedInt32 (off: <c>--nv</c>).</summary>
    public bool DataValues { get; set; } = true;

    /// <summary>SpikeData (off: <c>--ns</c>).</summary>
    public bool Spikes { get; set; } = true;

    /// <summary>DipData (off: <c>--nd</c>).</summary>
    public bool Dips { get; set; } = true;

    /// <summary>PositiveTrendData (off: <c>--np</c>).</summary>
    public bool PositiveTrend { get; set; } = true;

    /// <summary>NegativeTrendData (off: <c>--nn</c>).</summary>
    public bool NegativeTrend { get; set; } = true;

    /// <summary>The boiler "Boiler #1" with its heater methods (always on in OPC PLC).</summary>
    public bool Boiler { get; set; } = true;

    /// <summary>Slow nodes: <c>--sn --sr --st --stl --stu --str --sts --ssi</c>.</summary>
    public RateGroupOptions Slow { get; set; } = new() { Count = 1, RateMs = 10_000 };

    /// <summary>Fast nodes: <c>--fn --fr --vfr --ft --ftl --ftu --ftr --fts --fsi</c>.</summary>
    public RateGroupOptions Fast { get; set; } = new() { Count = 1, RateMs = 1_000 };

    /// <summary>User-defined nodes from a JSON file (<c>--nf</c>).</summary>
    public string? NodesFile { get; set; }

    /// <summary>The published-nodes file (<c>--sph</c>, <c>--sp</c>, <c>--spf</c>).</summary>
    public PublishedNodesOptions PublishedNodes { get; set; } = new();

    /// <summary>Trust every client certificate (<c>--aa</c>). Accepted now; it takes effect once secure policies exist.</summary>
    public bool AutoAcceptCertificates { get; set; }

    /// <summary>Offer SecurityPolicy None (<c>--ut</c>). The server offers only None for now, so this is always the case.</summary>
    public bool UnsecureTransport { get; set; }

    /// <summary>Makes random values reproducible; a random seed when unset.</summary>
    public int? Seed { get; set; }

    /// <summary>The host name used when <see cref="Hostname"/> is unset: the machine's, in lower case like OPC PLC.</summary>
    public string EffectiveHostname => string.IsNullOrWhiteSpace(Hostname) ? Environment.MachineName.ToLowerInvariant() : Hostname.Trim();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Port is < 0 or > 65535)
        {
            yield return Error("Port", $"must be between 0 and 65535, not {Port}");
        }

        if (!string.IsNullOrEmpty(Path) && (!Path.StartsWith('/') || Path.Any(char.IsWhiteSpace)))
        {
            yield return Error("Path", $"must start with '/' and contain no spaces, not '{Path}'");
        }

        if (Hostname is { Length: > 0 } host && Uri.CheckHostName(host.Trim()) == UriHostNameType.Unknown)
        {
            yield return Error("Hostname", $"'{host}' is not a valid host name");
        }

        if (SimulationCycleCount is < 1 or > 1_000_000)
        {
            yield return Error("SimulationCycleCount", $"must be between 1 and 1000000, not {SimulationCycleCount}");
        }

        if (CycleTimeMs is < 1 or > 3_600_000)
        {
            yield return Error("CycleTimeMs", $"must be between 1 and 3600000 (milliseconds), not {CycleTimeMs}");
        }

        foreach (var error in Slow.Validate("Slow").Concat(Fast.Validate("Fast")))
        {
            yield return error;
        }

        if (NodesFile is { Length: > 0 } file && !File.Exists(file))
        {
            yield return Error("NodesFile", $"'{file}' does not exist (working directory: {Environment.CurrentDirectory})");
        }

        if (string.IsNullOrWhiteSpace(PublishedNodes.Path))
        {
            yield return Error("PublishedNodes:Path", "must name a file");
        }
    }

    /// <summary>"OpcPlc:Slow:Count (--sn)": the configuration key and, when there is one, the OPC PLC flag for it.</summary>
    public static string Describe(string key)
    {
        var fullKey = $"{SectionName}:{key}";
        var flags = PlcCommandLine.FlagsFor(fullKey);
        return flags.Count == 0 ? fullKey : $"{fullKey} ({string.Join(", ", flags)})";
    }

    internal static ValidationResult Error(string key, string problem) => new($"{Describe(key)} {problem}.", [key]);
}

/// <summary>Node types of the slow and fast node sets (<c>--st</c>, <c>--ft</c>), case-insensitive.</summary>
public enum SlowFastType
{
    /// <summary>UInt32, increases by the step size (1).</summary>
    UInt,

    /// <summary>Double, increases by the step size (1).</summary>
    Double,

    /// <summary>Boolean, toggles.</summary>
    Bool,

    /// <summary>UInt32[32], every element increases by 1.</summary>
    UIntArray,
}

/// <summary>One set of slow or fast nodes, updated together by one timer.</summary>
public sealed class RateGroupOptions
{
    /// <summary>Number of nodes (<c>--sn</c>/<c>--fn</c>); a <c>Bad</c> node is added when it is above 0.</summary>
    public int Count { get; set; }

    /// <summary>Update period in milliseconds (<c>--sr</c>/<c>--fr</c> in seconds, <c>--vfr</c> in milliseconds).</summary>
    public int RateMs { get; set; }

    public SlowFastType Type { get; set; } = SlowFastType.UInt;

    /// <summary>Lower bound for UInt and Double (<c>--stl</c>/<c>--ftl</c>); the type's minimum (0 for Double) when unset.</summary>
    public double? LowerBound { get; set; }

    /// <summary>Upper bound for UInt and Double (<c>--stu</c>/<c>--ftu</c>); the type's maximum when unset.</summary>
    public double? UpperBound { get; set; }

    /// <summary>Random values between the bounds instead of steps (<c>--str</c>/<c>--ftr</c>), UInt and Double only.</summary>
    public bool Randomize { get; set; }

    /// <summary>Increment of UInt and Double values (<c>--sts</c>/<c>--fts</c>).</summary>
    public double StepSize { get; set; } = 1;

    /// <summary>Sampling interval written to pn.json as OpcSamplingInterval (<c>--ssi</c>/<c>--fsi</c>); 0 leaves it out.</summary>
    public int SamplingIntervalMs { get; set; }

    public double EffectiveLowerBound => LowerBound ?? 0;

    public double EffectiveUpperBound => UpperBound ?? (Type == SlowFastType.Double ? double.MaxValue : uint.MaxValue);

    internal IEnumerable<ValidationResult> Validate(string group)
    {
        if (Count is < 0 or > 1_000_000)
        {
            yield return OpcPlcOptions.Error($"{group}:Count", $"must be between 0 and 1000000, not {Count}");
        }

        if (RateMs is < 1 or > 86_400_000)
        {
            yield return OpcPlcOptions.Error($"{group}:RateMs", $"must be between 1 and 86400000 (milliseconds), not {RateMs}");
        }

        if (!Enum.IsDefined(Type))
        {
            yield return OpcPlcOptions.Error($"{group}:Type", $"must be one of {string.Join(", ", Enum.GetNames<SlowFastType>())}");
        }

        if (SamplingIntervalMs < 0)
        {
            yield return OpcPlcOptions.Error($"{group}:SamplingIntervalMs", $"must not be negative, not {SamplingIntervalMs}");
        }

        if (!double.IsFinite(StepSize) || StepSize < 0)
        {
            yield return OpcPlcOptions.Error($"{group}:StepSize", $"must be a number of at least 0, not {StepSize}");
        }

        if (Type != SlowFastType.UInt)
        {
            foreach (var error in ValidateDoubleBounds(group))
            {
                yield return error;
            }

            yield break;
        }

        foreach (var (key, value) in new[] { ("LowerBound", LowerBound), ("UpperBound", UpperBound), ("StepSize", (double?)StepSize) })
        {
            if (value is { } v && (v < 0 || v > uint.MaxValue || v != Math.Floor(v)))
            {
                yield return OpcPlcOptions.Error($"{group}:{key}", $"must be a whole number between 0 and {uint.MaxValue} for UInt nodes, not {v}");
            }
        }

        foreach (var error in ValidateOrder(group))
        {
            yield return error;
        }
    }

    private IEnumerable<ValidationResult> ValidateDoubleBounds(string group)
    {
        foreach (var (key, value) in new[] { ("LowerBound", LowerBound), ("UpperBound", UpperBound) })
        {
            if (value is { } v && !double.IsFinite(v))
            {
                yield return OpcPlcOptions.Error($"{group}:{key}", $"must be a finite number, not {v}");
            }
        }

        foreach (var error in ValidateOrder(group))
        {
            yield return error;
        }
    }

    private IEnumerable<ValidationResult> ValidateOrder(string group)
    {
        if (EffectiveLowerBound > EffectiveUpperBound)
        {
            yield return OpcPlcOptions.Error($"{group}:LowerBound", $"({EffectiveLowerBound}) must not be above {group}:UpperBound ({EffectiveUpperBound})");
        }
        else if (Randomize && Type is SlowFastType.UInt or SlowFastType.Double && EffectiveLowerBound == EffectiveUpperBound)
        {
            yield return OpcPlcOptions.Error($"{group}:Randomize", $"needs a range: {group}:LowerBound and {group}:UpperBound are both {EffectiveLowerBound}");
        }
    }
}

/// <summary>The OPC Publisher configuration file for everything the PLC simulates (pn.json).</summary>
public sealed class PublishedNodesOptions
{
    /// <summary>Write the file at start (<c>--sph</c>, or <c>--sp</c> with the IP address in EndpointUrl).</summary>
    public bool Write { get; set; }

    /// <summary>Use the machine's IP address instead of the host name in EndpointUrl (<c>--sp</c>).</summary>
    public bool UseIpAddress { get; set; }

    /// <summary>Where the file is written (<c>--spf</c>).</summary>
    public string Path { get; set; } = "pn.json";
}
