using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Extensions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>The "OpcPlc" section with the flags applied over it, and validation at start naming key and flag.</summary>
public sealed class OpcPlcOptionsTests
{
    private static IHost Build(IDictionary<string, string?> configuration, params string[] args)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, ContentRootPath = AppContext.BaseDirectory });
        builder.Configuration.AddInMemoryCollection(configuration);
        builder.AddOpcPlc(PlcCommandLine.Parse(args));
        return builder.Build();
    }

    private static OpcPlcOptions Resolve(IDictionary<string, string?> configuration, params string[] args)
    {
        using var host = Build(configuration, args);
        return host.Services.GetRequiredService<IOptions<OpcPlcOptions>>().Value;
    }

    /// <summary>Starting validates the options before any hosted service runs, so no port is opened here.</summary>
    private static async Task<string> StartFailureAsync(IDictionary<string, string?> configuration, params string[] args)
    {
        using var host = Build(configuration, args);
        var error = await Assert.ThrowsAnyAsync<Exception>(() => host.StartAsync().WaitAsync(TimeSpan.FromSeconds(30)));
        return error.Message;
    }

    [Fact]
    public void Defaults_AreOpcPlcDefaults()
    {
        var options = Resolve(new Dictionary<string, string?>());

        Assert.Equal(50000, options.Port);
        Assert.Equal(50, options.SimulationCycleCount);
        Assert.Equal(100, options.CycleTimeMs);
        Assert.True(options.DataValues && options.Spikes && options.Dips && options.PositiveTrend && options.NegativeTrend && options.Boiler);
        Assert.Equal((1, 10_000, SlowFastType.UInt), (options.Slow.Count, options.Slow.RateMs, options.Slow.Type));
        Assert.Equal((1, 1_000, SlowFastType.UInt), (options.Fast.Count, options.Fast.RateMs, options.Fast.Type));
        Assert.Equal(1, options.Slow.StepSize);
        Assert.False(options.PublishedNodes.Write);
        Assert.Equal("pn.json", options.PublishedNodes.Path);
        Assert.Null(options.NodesFile);
        Assert.True(options.ListenOnAnyAddress);
    }

    [Fact]
    public void Configuration_SetsEveryOption_AndFlagsWinOverIt()
    {
        var options = Resolve(
            new Dictionary<string, string?>
            {
                ["OpcPlc:Port"] = "4840",
                ["OpcPlc:Slow:Count"] = "7",
                ["OpcPlc:Fast:Type"] = "bool",
                ["OpcPlc:Fast:RateMs"] = "250",
                ["OpcPlc:Spikes"] = "false",
            },
            "--pn=50100", "--fn=3");

        Assert.Equal(50100, options.Port);
        Assert.Equal(7, options.Slow.Count);
        Assert.Equal(3, options.Fast.Count);
        Assert.Equal(SlowFastType.Bool, options.Fast.Type);
        Assert.Equal(250, options.Fast.RateMs);
        Assert.False(options.Spikes);
    }

    [Theory]
    [InlineData("OpcPlc:Port", "70000", "OpcPlc:Port (--pn) must be between 0 and 65535")]
    [InlineData("OpcPlc:Slow:RateMs", "0", "OpcPlc:Slow:RateMs (--sr) must be between 1 and 86400000")]
    [InlineData("OpcPlc:Fast:Count", "-1", "OpcPlc:Fast:Count (--fn) must be between 0 and 1000000")]
    [InlineData("OpcPlc:CycleTimeMs", "0", "OpcPlc:CycleTimeMs (--ct) must be between 1")]
    [InlineData("OpcPlc:SimulationCycleCount", "0", "OpcPlc:SimulationCycleCount (--sc) must be between 1")]
    [InlineData("OpcPlc:Slow:StepSize", "0.5", "OpcPlc:Slow:StepSize (--sts) must be a whole number")]
    [InlineData("OpcPlc:Path", "UA", "OpcPlc:Path (--op) must start with '/'")]
    [InlineData("OpcPlc:NodesFile", "/nonexistent/nodes.json", "OpcPlc:NodesFile (--nf) '/nonexistent/nodes.json' does not exist")]
    public async Task InvalidSetting_FailsAtStart_NamingKeyAndFlag(string key, string value, string expected)
    {
        var message = await StartFailureAsync(new Dictionary<string, string?> { [key] = value });
        Assert.Contains(expected, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidFlagValue_FailsAtStart_NamingTheFlag()
    {
        var message = await StartFailureAsync(new Dictionary<string, string?>(), "--stl=10", "--stu=5");
        Assert.Contains("OpcPlc:Slow:LowerBound (--stl) (10) must not be above Slow:UpperBound (5)", message, StringComparison.Ordinal);

        message = await StartFailureAsync(new Dictionary<string, string?>(), "--ftr=true", "--ftl=3", "--ftu=3");
        Assert.Contains("OpcPlc:Fast:Randomize (--ftr) needs a range", message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnparsableFlag_FailsWhileComposingTheApp()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build(new Dictionary<string, string?>(), "--fn=many"));
        Assert.Contains("--fn: 'many' is not valid, expected a whole number", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UnbindableConfigurationValue_NamesTheKey()
    {
        using var host = Build(new Dictionary<string, string?> { ["OpcPlc:Slow:Type"] = "Float" });
        var error = Assert.ThrowsAny<Exception>(() => host.Services.GetRequiredService<IOptions<OpcPlcOptions>>().Value);
        Assert.Contains("OpcPlc:Slow:Type", error.ToString(), StringComparison.Ordinal);
    }
}
