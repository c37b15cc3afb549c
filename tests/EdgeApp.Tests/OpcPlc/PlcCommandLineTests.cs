using EdgeApp.OpcPlc.Configuration;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>OPC PLC's flags in every form Mono.Options accepts, mapped onto "OpcPlc:*" settings.</summary>
public sealed class PlcCommandLineTests
{
    private static Dictionary<string, string?> Settings(params string[] args)
    {
        var parsed = PlcCommandLine.Parse(args);
        Assert.Empty(parsed.Errors);
        return parsed.Settings.GroupBy(s => s.Key).ToDictionary(g => g.Key, g => g.Last().Value);
    }

    [Theory]
    [InlineData("--pn=50001")]
    [InlineData("--pn", "50001")]
    [InlineData("-pn=50001")]
    [InlineData("--pn:50001")]
    [InlineData("--portnum=50001")]
    [InlineData("/pn=50001")]
    public void Port_InEveryFlagForm_SetsOpcPlcPort(params string[] args) =>
        Assert.Equal("50001", Settings(args)["OpcPlc:Port"]);

    [Fact]
    public void SlowAndFastFlags_MapToTheirGroup_RatesInMilliseconds()
    {
        var settings = Settings("--sn=5", "--sr=3", "--st=double", "--stl=1.5", "--stu", "9.5", "--str=true", "--sts=0.5", "--ssi=250",
            "--fn", "100", "--fr=2", "--ft=UIntArray", "--fsi=50");

        Assert.Equal("5", settings["OpcPlc:Slow:Count"]);
        Assert.Equal("3000", settings["OpcPlc:Slow:RateMs"]);
        Assert.Equal("Double", settings["OpcPlc:Slow:Type"]);
        Assert.Equal("1.5", settings["OpcPlc:Slow:LowerBound"]);
        Assert.Equal("9.5", settings["OpcPlc:Slow:UpperBound"]);
        Assert.Equal("true", settings["OpcPlc:Slow:Randomize"]);
        Assert.Equal("0.5", settings["OpcPlc:Slow:StepSize"]);
        Assert.Equal("250", settings["OpcPlc:Slow:SamplingIntervalMs"]);
        Assert.Equal("100", settings["OpcPlc:Fast:Count"]);
        Assert.Equal("2000", settings["OpcPlc:Fast:RateMs"]);
        Assert.Equal("UIntArray", settings["OpcPlc:Fast:Type"]);
        Assert.Equal("50", settings["OpcPlc:Fast:SamplingIntervalMs"]);
    }

    [Fact]
    public void VeryFastRate_AndFastRate_TheLaterWins_AsInOpcPlc()
    {
        Assert.Equal("100", Settings("--fr=5", "--vfr=100")["OpcPlc:Fast:RateMs"]);
        Assert.Equal("5000", Settings("--vfr=100", "--fr=5")["OpcPlc:Fast:RateMs"]);
    }

    [Fact]
    public void FamilySwitches_TurnFamiliesOff_AndMinusTurnsThemBackOn()
    {
        var settings = Settings("--nv", "--ns", "--nd", "--np", "--nn");
        foreach (var key in new[] { "DataValues", "Spikes", "Dips", "PositiveTrend", "NegativeTrend" })
        {
            Assert.Equal("false", settings["OpcPlc:" + key]);
        }

        Assert.Equal("true", Settings("--nv", "--nv-")["OpcPlc:DataValues"]);
    }

    [Fact]
    public void PublishedNodesFlags_WriteTheFile_WithHostNameOrIpAddress()
    {
        var byHost = Settings("--sph", "--spf=out/pn.json", "--ph=plc.example");
        Assert.Equal("true", byHost["OpcPlc:PublishedNodes:Write"]);
        Assert.Equal("false", byHost["OpcPlc:PublishedNodes:UseIpAddress"]);
        Assert.Equal("out/pn.json", byHost["OpcPlc:PublishedNodes:Path"]);
        Assert.Equal("plc.example", byHost["OpcPlc:Hostname"]);
        Assert.Equal("true", Settings("--sp")["OpcPlc:PublishedNodes:UseIpAddress"]);
    }

    [Fact]
    public void AutoAccept_IsAccepted()
    {
        var parsed = PlcCommandLine.Parse(["--aa", "--autoaccept", "--ut"]);
        Assert.Empty(parsed.Errors);
        Assert.Empty(parsed.Warnings);
        Assert.Contains(new KeyValuePair<string, string?>("OpcPlc:AutoAcceptCertificates", "true"), parsed.Settings);
    }

    [Fact]
    public void ValuesThatLookLikeFlags_ArePathsAndNegativeNumbers()
    {
        var settings = Settings("--nf", "/tmp/nodes.json", "--ftl", "-5", "--ftu=-1", "--ft", "Double");
        Assert.Equal("/tmp/nodes.json", settings["OpcPlc:NodesFile"]);
        Assert.Equal("-5", settings["OpcPlc:Fast:LowerBound"]);
        Assert.Equal("-1", settings["OpcPlc:Fast:UpperBound"]);
    }

    [Fact]
    public void UnsupportedOpcPlcFlags_AreWarnings_AndTheirValuesAreNotMistakenForFlags()
    {
        var parsed = PlcCommandLine.Parse(["--alm", "--gn=5", "--ll", "debug", "--wp", "8080", "--sn=2"]);

        Assert.Empty(parsed.Errors);
        Assert.Equal(4, parsed.Warnings.Count);
        Assert.Contains(parsed.Warnings, w => w.Contains("--alm is not supported", StringComparison.Ordinal));
        Assert.Contains(parsed.Warnings, w => w.Contains("--wp is ignored: pn.json is served at /pn.json", StringComparison.Ordinal));
        Assert.Equal("2", parsed.Settings.Single().Value);
        Assert.Empty(parsed.HostArgs);
    }

    [Fact]
    public void UnknownFlag_IsAWarningNamingIt()
    {
        var parsed = PlcCommandLine.Parse(["--frobnicate=1", "stray"]);
        Assert.Empty(parsed.Errors);
        Assert.Contains(parsed.Warnings, w => w.Contains("Unknown option --frobnicate", StringComparison.Ordinal));
        Assert.Contains(parsed.Warnings, w => w.Contains("'stray'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("--pn=abc", "--pn: 'abc' is not valid, expected a port number 0-65535")]
    [InlineData("--pn=70000", "--pn: '70000' is not valid")]
    [InlineData("--st=Float", "--st: 'Float' is not valid, expected UInt, Double, Bool or UIntArray")]
    [InlineData("--sr=-1", "--sr: '-1' is not valid")]
    [InlineData("--str=maybe", "--str: 'maybe' is not valid, expected true or false")]
    [InlineData("--fn", "--fn needs a value")]
    [InlineData("--aa=perhaps", "--aa: 'perhaps' is not true or false")]
    public void BadValue_IsAnError_NamingTheFlag(string arg, string expected)
    {
        var parsed = PlcCommandLine.Parse([arg]);
        Assert.Contains(parsed.Errors, e => e.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void HostArguments_PassThroughToAspNetCore()
    {
        var parsed = PlcCommandLine.Parse(["--urls", "http://127.0.0.1:5000", "--OpcPlc:Port=5", "--Logging:LogLevel:Default=Debug", "--sn=1"]);
        Assert.Equal(["--urls", "http://127.0.0.1:5000", "--OpcPlc:Port=5", "--Logging:LogLevel:Default=Debug"], parsed.HostArgs);
        Assert.Empty(parsed.Warnings);
    }

    [Fact]
    public void Help_IsRecognised_AndListsTheSupportedFlags()
    {
        Assert.True(PlcCommandLine.Parse(["--help"]).HelpRequested);
        Assert.True(PlcCommandLine.Parse(["-h"]).HelpRequested);
        var usage = PlcCommandLine.Usage();
        foreach (var flag in new[] { "--pn", "--sn", "--sr", "--st", "--fn", "--fr", "--ft", "--vfr", "--nv", "--ns", "--nd", "--np", "--nn", "--nf", "--sph", "--spf", "--aa" })
        {
            Assert.Contains(flag + ",", usage, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void FlagsFor_NamesTheFlagsOfAKey()
    {
        Assert.Equal(["--fr", "--vfr"], PlcCommandLine.FlagsFor("OpcPlc:Fast:RateMs"));
        Assert.Equal("OpcPlc:Slow:Count (--sn)", OpcPlcOptions.Describe("Slow:Count"));
        Assert.Equal("OpcPlc:Boiler", OpcPlcOptions.Describe("Boiler"));
    }
}
