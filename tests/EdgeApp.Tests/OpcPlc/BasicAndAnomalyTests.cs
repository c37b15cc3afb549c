using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>StepUp and its methods, AlternatingBoolean, the random values, spike/dip waves and the trends, cycle by cycle.</summary>
public sealed class BasicAndAnomalyTests
{
    [Fact]
    public async Task StepUp_IncrementsEveryCycle_AndResetStopStartWork()
    {
        await using var plc = TestPlc.Create();
        var basic = plc.Plc.Basic!;
        await using var client = await plc.ConnectAsync();

        TestPlc.Tick(basic, 5);
        Assert.Equal(5u, basic.StepUp.Value);
        Assert.Equal(TestPlc.Start + (basic.Period * 4), basic.StepUp.ReadValue().SourceTimestamp);

        await client.CallAsync(plc.MethodsFolder, plc.Id("StopStepUp"));
        TestPlc.Tick(basic, 3);
        Assert.Equal(5u, basic.StepUp.Value);
        Assert.False(basic.IsStepUpStarted);

        await client.CallAsync(plc.MethodsFolder, plc.Id("ResetStepUp"));
        Assert.Equal(0u, (await client.ReadAsync(plc.Id("StepUp"))).Value.Get<uint>());

        await client.CallAsync(plc.MethodsFolder, plc.Id("StartStepUp"));
        TestPlc.Tick(basic, 2);
        Assert.Equal(2u, basic.StepUp.Value);
    }

    [Fact]
    public async Task StepUp_ContinuesFromAValueAClientWrote()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();

        Assert.True((await client.WriteAsync(plc.Id("StepUp"), new Variant(1000u))).IsGood);
        TestPlc.Tick(plc.Plc.Basic!);
        Assert.Equal(1001u, plc.Plc.Basic!.StepUp.Value);
    }

    [Fact]
    public void StepUp_Counts50StepsPerPhase_WithMoreCyclesPerPhase()
    {
        using var plc = TestPlc.Create(o => o.SimulationCycleCount = 100);
        TestPlc.Tick(plc.Plc.Basic!, 100);
        Assert.Equal(50u, plc.Plc.Basic!.StepUp.Value);
    }

    [Fact]
    public void AlternatingBoolean_TogglesOncePerPhase()
    {
        using var plc = TestPlc.Create(o => o.SimulationCycleCount = 10);
        var basic = plc.Plc.Basic!;
        var values = new List<bool>();
        for (var i = 0; i < 30; i++)
        {
            TestPlc.Tick(basic);
            values.Add(basic.AlternatingBoolean.Value);
        }

        // Toggles on the first cycle of each phase of 10 cycles.
        Assert.Equal(Enumerable.Repeat(true, 10).Concat(Enumerable.Repeat(false, 10)).Concat(Enumerable.Repeat(true, 10)), values);
    }

    [Fact]
    public void RandomValues_ChangeEveryCycle_AndCoverTheirRange()
    {
        using var plc = TestPlc.Create();
        var basic = plc.Plc.Basic!;
        var signed = new HashSet<int>();
        var unsigned = new HashSet<uint>();
        for (var i = 0; i < 200; i++)
        {
            TestPlc.Tick(basic);
            signed.Add(basic.RandomSignedInt32.Value);
            unsigned.Add(basic.RandomUnsignedInt32.Value);
        }

        Assert.True(signed.Count > 190, "signed values repeat too often");
        Assert.Contains(signed, v => v < 0);
        Assert.Contains(signed, v => v > 0);
        Assert.True(unsigned.Count > 190, "unsigned values repeat too often");
        Assert.Contains(unsigned, v => v > int.MaxValue);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void SpikeAndDip_AreASineOf100_WithExactlyOneAnomalyPerPhase(bool spike)
    {
        using var plc = TestPlc.Create(o => o.SimulationCycleCount = 20);
        var anomaly = plc.Plc.Anomaly!;
        var node = spike ? anomaly.SpikeData! : anomaly.DipData!;
        for (var phase = 0; phase < 5; phase++)
        {
            var anomalies = 0;
            for (var cycle = 20; cycle >= 1; cycle--)
            {
                TestPlc.Tick(anomaly);
                var value = node.Value;
                if (value == (spike ? 1000.0 : -1000.0))
                {
                    anomalies++;
                }
                else
                {
                    Assert.Equal(AnomalyNodes.Amplitude * Math.Sin(2 * Math.PI / 20 * cycle), value, 9);
                }
            }

            Assert.Equal(1, anomalies);
        }
    }

    [Fact]
    public async Task Trends_StayAtTheBase_ThenMoveATenthPerPhase_AndResetTrendRestartsThem()
    {
        await using var plc = TestPlc.Create(o => o.SimulationCycleCount = 4);
        var anomaly = plc.Plc.Anomaly!;
        var positive = new List<double>();
        var negative = new List<double>();
        for (var i = 0; i < 4 * 30; i++)
        {
            TestPlc.Tick(anomaly);
            positive.Add(anomaly.PositiveTrendData!.Value);
            negative.Add(anomaly.NegativeTrendData!.Value);
        }

        // Within a phase the value holds; from the anomaly phase (0-9) on it moves by 0.1 per phase.
        var positivePhases = positive.Chunk(4).Select(c => Assert.Single(c.Distinct())).ToList();
        var negativePhases = negative.Chunk(4).Select(c => Assert.Single(c.Distinct())).ToList();
        Assert.Equal(AnomalyNodes.TrendBase, positivePhases[0]);
        Assert.True(positivePhases[^1] > 102 - 1e-9, $"rises: {positivePhases[^1]}");
        Assert.True(negativePhases[^1] < 98 + 1e-9, $"falls: {negativePhases[^1]}");
        foreach (var (previous, next) in positivePhases.Zip(positivePhases.Skip(1)))
        {
            Assert.True(next - previous is 0 or (> 0.0999 and < 0.1001), $"{previous} -> {next}");
        }

        foreach (var (previous, next) in negativePhases.Zip(negativePhases.Skip(1)))
        {
            Assert.True(previous - next is 0 or (> 0.0999 and < 0.1001), $"{previous} -> {next}");
        }

        await using var client = await plc.ConnectAsync();
        await client.CallAsync(plc.MethodsFolder, plc.Id("ResetTrend"));
        Assert.Equal(AnomalyNodes.TrendBase, anomaly.PositiveTrendData!.Value);
        Assert.Equal(AnomalyNodes.TrendBase, anomaly.NegativeTrendData!.Value);
        TestPlc.Tick(anomaly, 4);
        Assert.Equal(AnomalyNodes.TrendBase, anomaly.PositiveTrendData!.Value);
    }
}
