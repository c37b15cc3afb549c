using System.ComponentModel.DataAnnotations;
using EdgeApp.OpcPublisher;
using EdgeApp.OpcPublisher.Configuration;

namespace EdgeApp.Tests.OpcPublisher;

public sealed class PublisherOptionsTests
{
    [Fact]
    public void CommandLine_MapsOpcPublishersFlagsOntoSettings_AndPassesTheRestToTheHost()
    {
        var line = PublisherCommandLine.Parse(["--pf=/app/pn.json", "--mm", "Samples", "--bs=20", "--bi", "100", "--aq", "--op=500", "--oi=250", "--id=edge-1", "--ttt=opc", "--urls=http://*:5000", "--Spool:Directory=/data"]);

        var settings = line.Settings.ToDictionary(s => s.Key, s => s.Value);
        Assert.Equal("/app/pn.json", settings["OpcPublisher:PublishedNodesFile"]);
        Assert.Equal("Samples", settings["OpcPublisher:MessagingMode"]);
        Assert.Equal("20", settings["OpcPublisher:BatchSize"]);
        Assert.Equal("100", settings["OpcPublisher:BatchTriggerIntervalMs"]);
        Assert.Equal("true", settings["OpcPublisher:AutoQueueSize"]);
        Assert.Equal("500", settings["OpcPublisher:DefaultPublishingIntervalMs"]);
        Assert.Equal("250", settings["OpcPublisher:DefaultSamplingIntervalMs"]);
        Assert.Equal("edge-1", settings["OpcPublisher:PublisherId"]);
        Assert.Equal("opc", settings["OpcPublisher:Topic"]);
        Assert.Equal(["--urls=http://*:5000", "--Spool:Directory=/data"], line.HostArgs);
    }

    [Fact]
    public void CommandLine_TakesLongNamesAndASwitchWithAValue()
    {
        var settings = PublisherCommandLine.Parse(["--publishfile", "pn.json", "--autosetqueuesize", "false", "-f=x.json"]).Settings;

        Assert.Equal(
            [new("OpcPublisher:PublishedNodesFile", "pn.json"), new("OpcPublisher:AutoQueueSize", "false"), new("OpcPublisher:PublishedNodesFile", "x.json")],
            settings);
    }

    [Theory]
    [InlineData(null, null, "Set exactly one of OpcPublisher:PublishedNodesFile (--pf) and OpcPublisher:PublishedNodesUrl (--pfu).")]
    [InlineData("pn.json", "http://plc/pn.json", "Set exactly one of OpcPublisher:PublishedNodesFile")]
    [InlineData(null, "ftp://plc/pn.json", "OpcPublisher:PublishedNodesUrl 'ftp://plc/pn.json' must be an absolute http(s) URL.")]
    public void Options_RequireOneSource(string? file, string? url, string expected)
    {
        var errors = Validate(new OpcPublisherOptions { PublishedNodesFile = file, PublishedNodesUrl = url });

        Assert.Contains(errors, e => e.StartsWith(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Options_NameTheKeyOfAnOutOfRangeValue()
    {
        Assert.Contains("OpcPublisher:BatchSize must be between 1 and 100000.", Validate(new OpcPublisherOptions { PublishedNodesFile = "pn.json", BatchSize = 0 }));

        var errors = Validate(new OpcPublisherOptions { PublishedNodesFile = "pn.json", Topic = "bad topic", InitialRetryDelayMs = 5000, MaxRetryDelayMs = 1000 });
        Assert.Contains("OpcPublisher:Topic 'bad topic' is not a valid topic name.", errors);
        Assert.Contains("OpcPublisher:MaxRetryDelayMs must not be below OpcPublisher:InitialRetryDelayMs.", errors);
    }

    [Fact]
    public void Options_DefaultsAreValid()
    {
        Assert.Empty(Validate(new OpcPublisherOptions { PublishedNodesFile = "pn.json" }));
    }

    private static List<string> Validate(OpcPublisherOptions options)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.Select(r => r.ErrorMessage!).ToList();
    }
}
