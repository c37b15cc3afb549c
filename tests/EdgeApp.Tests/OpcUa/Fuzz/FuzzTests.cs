using System.Buffers;
using System.Collections.Concurrent;
using System.Net.Sockets;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.Fuzz;

/// <summary>
/// Seeded, bounded fuzzing of the server's framing and decoding in CI. The long campaign runs outside CI with
/// <c>harness opcua-fuzz</c> (bench/README.md records its result).
/// </summary>
public sealed class FuzzTests
{
    private const int Seed = 20261130;

    [Fact]
    public void GoldenCorpus_PassesTheReceivePath_WithoutProtocolErrors()
    {
        using var fuzzer = new ProtocolFuzzer(Seed);
        foreach (var frame in GoldenCorpus.Build())
        {
            fuzzer.Execute(frame);
        }

        Assert.Empty(fuzzer.Findings);
        Assert.Equal(0, fuzzer.ProtocolErrors);
        Assert.True(fuzzer.RequestsDispatched >= 20, $"only {fuzzer.RequestsDispatched} requests reached a handler");
    }

    [Fact]
    public async Task InProcess_MutatedAndRandomFrames_OnlyProtocolExceptionsEscape_MemoryBounded()
    {
        var run = Task.Run(() =>
        {
            using var fuzzer = new ProtocolFuzzer(Seed);
            GC.Collect();
            var before = GC.GetTotalMemory(true);
            fuzzer.Run(15_000, TimeSpan.FromSeconds(20));
            var after = GC.GetTotalMemory(true);
            return (fuzzer.Findings.ToArray(), fuzzer.Inputs, fuzzer.ProtocolErrors, fuzzer.RequestsDispatched, fuzzer.MaxAllocatedPerInput, Growth: after - before);
        });

        // Nothing hangs: the whole campaign has a deadline.
        var (findings, inputs, errors, dispatched, maxAllocated, growth) = await run.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.True(findings.Length == 0, string.Join("\n\n", findings.Take(3)));
        Assert.True(inputs >= 2_000, $"only {inputs} inputs ran");
        Assert.True(errors > inputs / 10, "too few inputs were rejected: the mutations are not reaching the decoders");
        Assert.True(dispatched > inputs / 20, $"only {dispatched} of {inputs} inputs reached a service handler");
        Assert.True(maxAllocated < 64L << 20, $"one input allocated {maxAllocated} bytes");
        Assert.True(growth < 64L << 20, $"memory grew by {growth} bytes over the campaign");
    }

    [Fact]
    public async Task OverTcp_MutatedFrames_GetErrorsOnlyOnTheirConnection_WhileAWellBehavedClientIsServed()
    {
        await using var server = await TestServer.StartAsync(tcp: true);
        await using var client = await server.ConnectAsync();
        var corpus = GoldenCorpus.Build();
        var findings = new ConcurrentQueue<string>();
        var served = 0;
        var random = new Random(Seed);
        var inputs = Enumerable.Range(0, 400).Select(_ => Mutate(random, corpus)).ToArray();
        var hellos = Enumerable.Range(0, 400).Select(_ => random.Next(10) < 8).ToArray();
        var opens = Enumerable.Range(0, 400).Select(_ => random.Next(10) < 6).ToArray();

        var next = -1;
        var workers = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < inputs.Length)
            {
                var reason = await SendAsync(server.Server.Port, hellos[i], opens[i], inputs[i]);
                if (reason is not null)
                {
                    findings.Enqueue($"input {i}: {reason}: {Convert.ToHexString(inputs[i])}");
                }

                if (i % 50 == 0)
                {
                    Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
                    Interlocked.Increment(ref served);
                }
            }
        })).ToArray();
        await Task.WhenAll(workers).WaitAsync(TimeSpan.FromSeconds(90));

        Assert.True(findings.IsEmpty, string.Join("\n", findings.Take(5)));
        Assert.Equal(8, served);
        await SubscriptionsWait(() => server.Server.ConnectionCount == 1);
        Assert.Equal(StatusCodes.Good, (await client.ReadAsync(server.Id("Int32"))).StatusCode);
    }

    private static byte[] Mutate(Random random, List<byte[]> corpus)
    {
        var data = corpus[random.Next(corpus.Count)].ToArray();
        for (var i = 1 + random.Next(6); i > 0; i--)
        {
            data[random.Next(8, data.Length)] = (byte)random.Next(256);
        }

        return data;
    }

    /// <summary>
    /// One connection: Hello (or not), OpenSecureChannel (or not), then the input; reads until the server closes or
    /// goes quiet. Returns a finding when the server reveals an unexpected exception (an Error whose reason is an
    /// exception type), or null.
    /// </summary>
    private static async Task<string?> SendAsync(int port, bool hello, bool open, byte[] input)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync("127.0.0.1", port);
        var corpus = GoldenCorpus.Build();
        var prefix = new List<byte>();
        if (hello)
        {
            prefix.AddRange(corpus[0]);
        }

        if (hello && open)
        {
            prefix.AddRange(corpus[1]);
        }

        await socket.SendAsync((byte[])[.. prefix, .. input], SocketFlags.None);
        var received = new List<byte>();
        var buffer = new byte[65536];
        while (true)
        {
            using var quiet = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            int read;
            try
            {
                read = await socket.ReceiveAsync(buffer, SocketFlags.None, quiet.Token);
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException)
            {
                break;
            }

            if (read == 0)
            {
                break;
            }

            received.AddRange(buffer.AsSpan(0, read));
        }

        var sequence = new ReadOnlySequence<byte>(received.ToArray());
        try
        {
            while (FrameParser.TryParse(ref sequence, 1 << 24, out var frame))
            {
                using (frame)
                {
                    if (frame.MessageType == MessageTypes.Error)
                    {
                        var reader = new UaReader(frame.Body);
                        var error = ErrorMessage.Decode(ref reader);
                        if (error.Reason?.EndsWith("Exception", StringComparison.Ordinal) == true)
                        {
                            return $"{error.Error} {error.Reason}";
                        }
                    }
                }
            }
        }
        catch (OpcUaException ex)
        {
            return "unparseable answer: " + ex.Message;
        }

        return null;
    }

    private static Task SubscriptionsWait(Func<bool> condition) =>
        Subscriptions.SubscriptionServiceTests.WaitUntilAsync(condition, TimeSpan.FromSeconds(10));
}
