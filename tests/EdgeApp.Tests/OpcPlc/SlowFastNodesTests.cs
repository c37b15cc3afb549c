using EdgeApp.OpcPlc.Configuration;
using EdgeApp.OpcPlc.Nodes;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.Tests.OpcPlc;

/// <summary>Slow and fast node sets: value types, bounds, randomization, the Bad node, update caps and start/stop.</summary>
public sealed class SlowFastNodesTests
{
    private static uint UInt(EdgeApp.OpcUa.Server.AddressSpace.VariableNode node) => node.ReadValue().Value.Get<uint>();

    [Fact]
    public void UInt_IncreasesByOne_EveryNodeOnEveryTick()
    {
        using var plc = TestPlc.Create(o => o.Fast.Count = 3);
        var fast = plc.Plc.Fast!;
        TestPlc.Tick(fast, 7);

        Assert.All(fast.Nodes, n => Assert.Equal(7u, UInt(n)));
        Assert.All(fast.Nodes, n => Assert.Equal(TestPlc.Start + (fast.Period * 6), n.ReadValue().SourceTimestamp));
        Assert.Equal(0u, UInt(plc.Plc.Slow!.Nodes[0]));
    }

    [Fact]
    public void UInt_WithBoundsAndStep_WrapsToTheLowerBound()
    {
        using var plc = TestPlc.Create(o =>
        {
            o.Slow.LowerBound = 10;
            o.Slow.UpperBound = 20;
            o.Slow.StepSize = 4;
        });
        var slow = plc.Plc.Slow!;
        var values = new List<uint> { UInt(slow.Nodes[0]) };
        for (var i = 0; i < 6; i++)
        {
            TestPlc.Tick(slow);
            values.Add(UInt(slow.Nodes[0]));
        }

        Assert.Equal([10u, 14, 18, 10, 14, 18, 10], values);
    }

    [Fact]
    public void Double_IncreasesByTheStep_AndNegativeRangesCountDown()
    {
        using var up = TestPlc.Create(o =>
        {
            o.Fast.Type = SlowFastType.Double;
            o.Fast.StepSize = 0.5;
            o.Fast.UpperBound = 1.0;
        });
        var values = new List<double>();
        for (var i = 0; i < 4; i++)
        {
            TestPlc.Tick(up.Plc.Fast!);
            values.Add(up.Plc.Fast!.Nodes[0].ReadValue().Value.Get<double>());
        }

        Assert.Equal([0.5, 1.0, 0.0, 0.5], values);

        using var down = TestPlc.Create(o =>
        {
            o.Fast.Type = SlowFastType.Double;
            o.Fast.LowerBound = -2;
            o.Fast.UpperBound = -1;
            o.Fast.StepSize = 0.5;
        });
        values.Clear();
        for (var i = 0; i < 4; i++)
        {
            TestPlc.Tick(down.Plc.Fast!);
            values.Add(down.Plc.Fast!.Nodes[0].ReadValue().Value.Get<double>());
        }

        Assert.Equal([-1.0, -1.5, -2.0, -1.0], values);
    }

    [Fact]
    public void Bool_Toggles()
    {
        using var plc = TestPlc.Create(o => o.Fast.Type = SlowFastType.Bool);
        var node = plc.Plc.Fast!.Nodes[0];
        var values = new List<bool>();
        for (var i = 0; i < 4; i++)
        {
            TestPlc.Tick(plc.Plc.Fast!);
            values.Add(node.ReadValue().Value.Get<bool>());
        }

        Assert.Equal([false, true, false, true], values);
    }

    [Fact]
    public void UIntArray_Has32Values_ThatIncrease_AndEveryUpdateIsANewArray()
    {
        using var plc = TestPlc.Create(o => o.Fast.Type = SlowFastType.UIntArray);
        var node = plc.Plc.Fast!.Nodes[0];
        TestPlc.Tick(plc.Plc.Fast!);
        var first = node.ReadValue().Value.Get<uint[]>();
        TestPlc.Tick(plc.Plc.Fast!, 2);
        var third = node.ReadValue().Value.Get<uint[]>();

        Assert.Equal(Enumerable.Repeat(1u, 32), first);
        Assert.Equal(Enumerable.Repeat(3u, 32), third);
        Assert.NotSame(first, third);
    }

    [Theory]
    [InlineData(SlowFastType.UInt)]
    [InlineData(SlowFastType.Double)]
    public void Randomize_GivesValuesWithinTheBounds_NeverTheSameTwice(SlowFastType type)
    {
        using var plc = TestPlc.Create(o =>
        {
            o.Fast.Type = type;
            o.Fast.Randomize = true;
            o.Fast.LowerBound = 5;
            o.Fast.UpperBound = 9;
        });
        var node = plc.Plc.Fast!.Nodes[0];
        var values = new List<double>();
        for (var i = 0; i < 100; i++)
        {
            TestPlc.Tick(plc.Plc.Fast!);
            var value = node.ReadValue().Value;
            values.Add(type == SlowFastType.UInt ? value.Get<uint>() : value.Get<double>());
        }

        Assert.All(values, v => Assert.InRange(v, 5, 9));
        Assert.All(values.Zip(values.Skip(1)), p => Assert.NotEqual(p.First, p.Second));
        Assert.True(values.Distinct().Count() >= (type == SlowFastType.UInt ? 5 : 90));
    }

    [Fact]
    public void BadNode_CyclesGoodUncertainBad_WithoutAValueOnNoCommunication()
    {
        using var plc = TestPlc.Create();
        var slow = plc.Plc.Slow!;
        var seen = new List<(StatusCode Status, bool HasValue, uint Value)>();
        for (var i = 0; i < 20; i++)
        {
            TestPlc.Tick(slow);
            var value = slow.BadNode.ReadValue();
            seen.Add((value.StatusCode, !value.Value.IsNull, value.Value.IsNull ? 0 : value.Value.Get<uint>()));
        }

        var expected = SlowFastNodes.BadStatusSequence.Concat(SlowFastNodes.BadStatusSequence).ToList();
        Assert.Equal(expected.Select(e => e.Status), seen.Select(s => s.Status));
        Assert.Equal(expected.Select(e => e.HasValue), seen.Select(s => s.HasValue));
        Assert.Equal(new StatusCode(0x4090_0000), seen[3].Status); // UncertainLastUsableValue
        Assert.Equal(new StatusCode(0x4090_0000), seen[7].Status);
        Assert.Equal((new StatusCode(0x809D_0000), true), (seen[8].Status, seen[8].HasValue)); // BadDataLost, with a value
        Assert.Equal((new StatusCode(0x8031_0000), false), (seen[9].Status, seen[9].HasValue)); // BadNoCommunication, none
        Assert.Equal(6, seen.Take(10).Count(s => s.Status.IsGood));
        // The value keeps counting through the bad phase: tick 11 gives 11.
        Assert.Equal(11u, seen[10].Value);
        Assert.All(slow.Nodes, n => Assert.True(n.ReadValue().StatusCode.IsGood));
    }

    [Fact]
    public async Task NumberOfUpdates_CapsTheUpdates_AndCountsDown()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();
        var fast = plc.Plc.Fast!;

        Assert.Equal(-1, fast.NumberOfUpdates.Value);
        Assert.True((await client.WriteAsync(plc.Id("FastNumberOfUpdates"), new Variant(3))).IsGood);
        TestPlc.Tick(fast, 10);
        Assert.Equal(3u, UInt(fast.Nodes[0]));
        Assert.Equal(0, (await client.ReadAsync(plc.Id("FastNumberOfUpdates"))).Value.Get<int>());

        Assert.True((await client.WriteAsync(plc.Id("FastNumberOfUpdates"), new Variant(-1))).IsGood);
        TestPlc.Tick(fast, 2);
        Assert.Equal(5u, UInt(fast.Nodes[0]));
        Assert.Equal(0u, UInt(plc.Plc.Slow!.Nodes[0]));
    }

    [Fact]
    public async Task NumberOfUpdates_AClientWriteIsNeverLostToARacingTick()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();
        var fast = plc.Plc.Fast!;
        using var stop = new CancellationTokenSource();
        var ticker = Task.Factory.StartNew(() =>
        {
            // A dedicated thread ticking as fast as it can (yielding, so it does not starve the rest of the test run).
            while (!stop.IsCancellationRequested)
            {
                fast.Tick(DateTime.UtcNow);
                Thread.Yield();
            }
        }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        try
        {
            for (var round = 0; round < 30; round++)
            {
                Assert.True((await client.WriteAsync(plc.Id("FastNumberOfUpdates"), new Variant(1_000_000))).IsGood);
                Assert.True((await client.WriteAsync(plc.Id("FastNumberOfUpdates"), new Variant(0))).IsGood);

                // Stopped means stopped: a tick that read the old count must not write it back over the client's 0.
                for (var i = 0; i < 3; i++)
                {
                    await Task.Delay(5);
                    Assert.Equal(0, (await client.ReadAsync(plc.Id("FastNumberOfUpdates"))).Value.Get<int>());
                }

                // And the values stop changing (a tick already past its count check may still finish).
                var deadline = DateTime.UtcNow.AddSeconds(5);
                while (true)
                {
                    var before = UInt(fast.Nodes[0]);
                    await Task.Delay(30);
                    if (UInt(fast.Nodes[0]) == before)
                    {
                        break;
                    }

                    Assert.True(DateTime.UtcNow < deadline, "the fast nodes kept updating after NumberOfUpdates was set to 0");
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            await ticker;
        }
    }

    [Fact]
    public async Task StopAndStartUpdateMethods_PauseAndResumeOneSet()
    {
        await using var plc = TestPlc.Create();
        await using var client = await plc.ConnectAsync();
        var (slow, fast) = (plc.Plc.Slow!, plc.Plc.Fast!);

        await client.CallAsync(plc.MethodsFolder, plc.Id("StopUpdateSlowNodes"));
        TestPlc.Tick(slow, 2);
        TestPlc.Tick(fast, 2);
        Assert.Equal((0u, 2u), (UInt(slow.Nodes[0]), UInt(fast.Nodes[0])));

        await client.CallAsync(plc.MethodsFolder, plc.Id("StartUpdateSlowNodes"));
        await client.CallAsync(plc.MethodsFolder, plc.Id("StopUpdateFastNodes"));
        TestPlc.Tick(slow, 2);
        TestPlc.Tick(fast, 2);
        Assert.Equal((2u, 2u), (UInt(slow.Nodes[0]), UInt(fast.Nodes[0])));

        await client.CallAsync(plc.MethodsFolder, plc.Id("StartUpdateFastNodes"));
        TestPlc.Tick(fast);
        Assert.Equal(3u, UInt(fast.Nodes[0]));
    }

    [Fact]
    public void Tick_OfScalarNodes_AllocatesNothing()
    {
        using var plc = TestPlc.Create(o => o.Fast.Count = 1000);
        var fast = plc.Plc.Fast!;
        TestPlc.Tick(fast, 3); // JIT and first-time paths

        var before = GC.GetAllocatedBytesForCurrentThread();
        TestPlc.Tick(fast, 10);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.True(allocated < 1000, $"10 ticks of 1001 nodes allocated {allocated} bytes");
    }
}
