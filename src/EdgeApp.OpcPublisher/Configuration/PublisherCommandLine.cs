namespace EdgeApp.OpcPublisher.Configuration;

/// <summary>
/// OPC Publisher's command-line flags this publisher implements, as "OpcPublisher:..." settings (applied over
/// appsettings and the environment): <c>--pf/--publishfile/-f</c>, <c>--pfu</c> (a URL instead of a file),
/// <c>--mm/--messagingmode</c>, <c>--bs/--batchsize</c>, <c>--bi/--batchtriggerinterval</c> (ms),
/// <c>--op/--opcpublishinginterval</c> (ms), <c>--oi/--opcsamplinginterval</c> (ms), <c>--aq/--autosetqueuesize</c>,
/// <c>--id/--publisherid</c>, <c>--ttt/--telemetrytopictemplate</c> (the topic). <c>--x=v</c>, <c>--x v</c> and
/// <c>--x</c> (a switch) work; everything else goes to the ASP.NET Core host.
/// </summary>
public sealed class PublisherCommandLine
{
    private static readonly Dictionary<string, (string Key, bool IsSwitch)> Flags = new(StringComparer.OrdinalIgnoreCase)
    {
        ["f"] = ("PublishedNodesFile", false),
        ["pf"] = ("PublishedNodesFile", false),
        ["publishfile"] = ("PublishedNodesFile", false),
        ["pfu"] = ("PublishedNodesUrl", false),
        ["mm"] = ("MessagingMode", false),
        ["messagingmode"] = ("MessagingMode", false),
        ["bs"] = ("BatchSize", false),
        ["batchsize"] = ("BatchSize", false),
        ["bi"] = ("BatchTriggerIntervalMs", false),
        ["batchtriggerinterval"] = ("BatchTriggerIntervalMs", false),
        ["op"] = ("DefaultPublishingIntervalMs", false),
        ["opcpublishinginterval"] = ("DefaultPublishingIntervalMs", false),
        ["oi"] = ("DefaultSamplingIntervalMs", false),
        ["opcsamplinginterval"] = ("DefaultSamplingIntervalMs", false),
        ["aq"] = ("AutoQueueSize", true),
        ["autosetqueuesize"] = ("AutoQueueSize", true),
        ["id"] = ("PublisherId", false),
        ["publisherid"] = ("PublisherId", false),
        ["ttt"] = ("Topic", false),
        ["telemetrytopictemplate"] = ("Topic", false),
    };

    public List<KeyValuePair<string, string?>> Settings { get; } = [];

    public List<string> HostArgs { get; } = [];

    public static PublisherCommandLine Parse(IReadOnlyList<string> args)
    {
        var result = new PublisherCommandLine();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            var trimmed = arg.TrimStart('-');
            if (trimmed.Length == arg.Length || trimmed.Length == 0)
            {
                result.HostArgs.Add(arg);
                continue;
            }

            var split = trimmed.IndexOfAny(['=', ':']);
            var name = split < 0 ? trimmed : trimmed[..split];
            if (!Flags.TryGetValue(name, out var flag))
            {
                result.HostArgs.Add(arg);
                continue;
            }

            string? value = split < 0 ? null : trimmed[(split + 1)..];
            if (value is null)
            {
                if (flag.IsSwitch && (i + 1 >= args.Count || args[i + 1].StartsWith('-') || !bool.TryParse(args[i + 1], out _)))
                {
                    value = "true";
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
            }

            result.Settings.Add(new KeyValuePair<string, string?>(OpcPublisherOptions.SectionName + ":" + flag.Key, value));
        }

        return result;
    }
}
