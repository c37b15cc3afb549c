using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.SecureChannel;
using EdgeApp.OpcUa.Server;
using EdgeApp.OpcUa.Services;
using EdgeApp.OpcUa.Transport;

namespace EdgeApp.Tests.OpcUa.Fuzz;

/// <summary>
/// A seeded, in-process fuzzer of the server's receive path: random and mutated frames from a golden corpus go
/// through what a server connection does with bytes — <see cref="FrameParser"/>, Hello decoding, chunk headers, the
/// <see cref="ChunkAssembler"/>, message decoding — and decoded requests are dispatched to the real service handlers
/// of an <see cref="OpcUaServer"/> on an activated session, and their responses encoded. The contract: only
/// <see cref="OpcUaException"/> comes out, no handler fails with an unexpected exception (ServiceFault
/// BadInternalError), no single input allocates or takes without bound. Shared by the CI test (a few thousand
/// inputs) and the <c>opcua-fuzz</c> benchmark harness (millions). No test framework dependency.
/// </summary>
public sealed class ProtocolFuzzer : IDisposable
{
    private const uint MaxFrameSize = 65535;
    private static readonly byte[] InterestingBytes = [0x00, 0x01, 0x7F, 0x80, 0xFF, 0xFE, 0x40, 0x3F];
    private static readonly int[] InterestingInts = [0, 1, -1, -2, 2, 3, 4, 5, 7, 8, 16, 255, 256, 4096, 65535, 65536, 1 << 20, (1 << 20) + 1, 0x7FFF_FFFF, int.MinValue, 0x7FFF_FFF0];

    private readonly Random _random;
    private readonly List<byte[]> _corpus;
    private readonly IChunkProtection _asymmetric;
    private readonly IChunkProtection _symmetric;
    private OpcUaServer _server = null!;
    private ServerSession _session = null!;
    private int _sinceReset;

    public ProtocolFuzzer(int seed)
    {
        _random = new Random(seed);
        _corpus = GoldenCorpus.Build();
        var policy = SecurityPolicies.Get(SecurityPolicyUris.None);
        _asymmetric = policy.CreateAsymmetric(new AsymmetricSecurityContext(MessageSecurityModeKind.None, null, null));
        _symmetric = policy.CreateSymmetric(MessageSecurityModeKind.None, [], [], isClient: false);
        ResetServer();
    }

    public int CorpusSize => _corpus.Count;

    public List<string> Findings { get; } = [];

    public long Inputs { get; private set; }

    public long ProtocolErrors { get; private set; }

    public long RequestsDispatched { get; private set; }

    public long MaxAllocatedPerInput { get; private set; }

    public TimeSpan MaxTimePerInput { get; private set; }

    /// <summary>Runs <paramref name="count"/> inputs (or until <paramref name="budget"/> passes); returns the findings so far.</summary>
    public IReadOnlyList<string> Run(long count, TimeSpan? budget = null)
    {
        var watch = Stopwatch.StartNew();
        for (long i = 0; i < count && (budget is null || watch.Elapsed < budget); i++)
        {
            var input = Next();
            var allocated = GC.GetAllocatedBytesForCurrentThread();
            var started = Stopwatch.GetTimestamp();
            Execute(input);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var bytes = GC.GetAllocatedBytesForCurrentThread() - allocated;
            MaxAllocatedPerInput = Math.Max(MaxAllocatedPerInput, bytes);
            MaxTimePerInput = elapsed > MaxTimePerInput ? elapsed : MaxTimePerInput;
            if (bytes > 256L << 20 || elapsed > TimeSpan.FromSeconds(2))
            {
                Findings.Add($"input {Inputs}: {bytes} bytes allocated, {elapsed.TotalMilliseconds:F0} ms: {Convert.ToHexString(input)}");
            }

            Inputs++;
            if (++_sinceReset >= 2000)
            {
                ResetServer(); // bounded state: subscriptions, sessions and writes made by earlier inputs go away
            }
        }

        return Findings;
    }

    /// <summary>The next input: a golden stream, mutated one to three times (or random bytes behind a valid header).</summary>
    public byte[] Next()
    {
        if (_random.Next(20) == 0)
        {
            var random = new byte[8 + _random.Next(0, 300)];
            _random.NextBytes(random);
            "MSGHELOPNCLOERRACKRHE"u8.Slice(_random.Next(7) * 3, 3).CopyTo(random);
            random[3] = (byte)"FCA"[_random.Next(3)];
            FixSize(random);
            return random;
        }

        var input = _corpus[_random.Next(_corpus.Count)];
        var rounds = 1 + _random.Next(3);
        for (var i = 0; i < rounds; i++)
        {
            input = MutateOnce(input);
        }

        if (_random.Next(10) < 7)
        {
            FixSize(input);
        }

        return input;
    }

    private byte[] MutateOnce(byte[] input)
    {
        var data = input.ToArray();
        if (data.Length == 0)
        {
            return [0];
        }

        switch (_random.Next(10))
        {
            case 8: // arithmetic: a byte nudged up or down a little
                for (var i = 1 + _random.Next(3); i > 0; i--)
                {
                    data[_random.Next(data.Length)] += (byte)(_random.Next(1, 9) * (_random.Next(2) == 0 ? 1 : -1));
                }

                return data;
            case 0: // flip bits
                for (var i = 1 + _random.Next(8); i > 0; i--)
                {
                    data[_random.Next(data.Length)] ^= (byte)(1 << _random.Next(8));
                }

                return data;
            case 1: // interesting bytes
                for (var i = 1 + _random.Next(4); i > 0; i--)
                {
                    data[_random.Next(data.Length)] = InterestingBytes[_random.Next(InterestingBytes.Length)];
                }

                return data;
            case 2: // an Int32 (a length, a count, an id) set to a boundary value
                if (data.Length >= 12)
                {
                    BinaryPrimitives.WriteInt32LittleEndian(data.AsSpan(8 + _random.Next(data.Length - 11)), InterestingInts[_random.Next(InterestingInts.Length)]);
                }

                return data;
            case 3: // truncate
                return data[..(1 + _random.Next(data.Length))];
            case 4: // append random bytes
                var tail = new byte[1 + _random.Next(64)];
                _random.NextBytes(tail);
                return [.. data, .. tail];
            case 5: // splice with another corpus entry
                var other = _corpus[_random.Next(_corpus.Count)];
                var cut = _random.Next(data.Length);
                return [.. data.AsSpan(0, cut), .. other.AsSpan(Math.Min(cut, other.Length - 1))];
            case 6: // delete a range
                var from = _random.Next(data.Length);
                var length = Math.Min(data.Length - from, 1 + _random.Next(16));
                return [.. data.AsSpan(0, from), .. data.AsSpan(from + length)];
            case 7: // repeat a range (duplicated fields, duplicated chunks)
                var start = _random.Next(data.Length);
                var count = Math.Min(data.Length - start, 1 + _random.Next(32));
                return [.. data.AsSpan(0, start + count), .. data.AsSpan(start)];
            default: // the whole frame twice, then mutated again later
                return [.. data, .. data];
        }
    }

    private static void FixSize(byte[] frame)
    {
        if (frame.Length >= 8)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(frame.AsSpan(4), (uint)frame.Length);
        }
    }

    /// <summary>One connection's worth of bytes through the receive path; the first protocol error ends it, as on a socket.</summary>
    public void Execute(byte[] input)
    {
        using var assembler = new ChunkAssembler(1 << 20, 64, StatusCodes.BadRequestTooLarge);
        var sequence = new ReadOnlySequence<byte>(input);
        try
        {
            while (FrameParser.TryParse(ref sequence, MaxFrameSize, out var frame))
            {
                OnFrame(assembler, frame);
            }
        }
        catch (OpcUaException)
        {
            ProtocolErrors++;
        }
#pragma warning disable CA1031 // Anything else is exactly what the fuzzer looks for.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Findings.Add($"input {Inputs}: {ex.GetType().Name}: {ex.Message}\n{ex.StackTrace}\n{Convert.ToHexString(input)}");
        }
    }

    private void OnFrame(ChunkAssembler assembler, Frame frame)
    {
        var context = _server.DecodingContext;
        switch (frame.MessageType)
        {
            case MessageTypes.Hello:
                using (frame)
                {
                    var reader = new UaReader(frame.Body, context);
                    HelloMessage.Decode(ref reader);
                }

                return;
            case MessageTypes.OpenSecureChannel or MessageTypes.Message or MessageTypes.CloseSecureChannel:
                ChunkHeaders headers;
                try
                {
                    headers = ChunkHeaders.Read(frame, context);
                    if (frame.MessageType == MessageTypes.OpenSecureChannel)
                    {
                        SecurityPolicies.Get(headers.SecurityPolicyUri);
                    }
                }
                catch
                {
                    frame.Dispose();
                    throw;
                }

                var protection = frame.MessageType == MessageTypes.OpenSecureChannel ? _asymmetric : _symmetric;
                using (var message = assembler.Add(frame, headers, protection))
                {
                    if (message is null || message.AbortStatus is not null)
                    {
                        return;
                    }

                    var reader = new UaReader(message.Body, context);
                    var decoded = ServiceTypes.DecodeMessage(ref reader, out _);
                    if (frame.MessageType == MessageTypes.Message && decoded is IServiceRequest request)
                    {
                        Dispatch(request);
                    }
                }

                return;
            default:
                frame.Dispose();
                return;
        }
    }

    /// <summary>Runs the request's real handler on an activated session and encodes the response.</summary>
    private void Dispatch(IServiceRequest request)
    {
        if (!_server.Sessions.TryGet(_session.AuthenticationToken, out _))
        {
            NewSession(); // an input closed it
        }

        if (_random.Next(10) != 0)
        {
            request.RequestHeader.AuthenticationToken = _session.AuthenticationToken;
            if (_random.Next(5) != 0)
            {
                Aim(request);
            }
        }

        RequestsDispatched++;
        var pending = _server.Dispatcher.DispatchAsync(new RequestContext { Server = _server, ChannelId = _session.ChannelId, RequestId = 1 }, request);
        if (!pending.IsCompleted)
        {
            return; // a parked Publish: answered later by a publishing cycle, bounded by MaxPublishRequestsPerSession
        }

        var response = pending.Result;
        if (response is ServiceFault fault && fault.ResponseHeader.ServiceResult == StatusCodes.BadInternalError)
        {
            throw new InvalidOperationException($"{request.GetType().Name} failed inside its handler (BadInternalError).");
        }

        var buffer = ByteBufferPool.Rent();
        try
        {
            var writer = new UaWriter(buffer);
            ServiceTypes.EncodeMessage(ref writer, response);
        }
        finally
        {
            ByteBufferPool.Return(buffer);
            (response as IPooledResponse)?.ReleasePooled();
        }
    }

    /// <summary>Points subscription and item ids at ones this session owns, so mutated requests reach the handlers' item logic.</summary>
    private void Aim(IServiceRequest request)
    {
        var subscriptions = _session.Subscriptions.Values.ToArray();
        if (subscriptions.Length == 0)
        {
            subscriptions = [_server.Subscriptions.Create(_session, _server.Subscriptions.Revise(50, 0, 5, 0, 0), true)];
        }

        var subscription = subscriptions[_random.Next(subscriptions.Length)];
        uint[] items;
        lock (subscription.Gate)
        {
            items = [.. subscription.Items.Keys];
        }

        uint Item(uint original) => items.Length == 0 || _random.Next(4) == 0 ? original : items[_random.Next(items.Length)];
        uint[] Items(uint[] original) => original.Select(Item).ToArray();
        switch (request)
        {
            case CreateMonitoredItemsRequest r: r.SubscriptionId = subscription.Id; break;
            case ModifyMonitoredItemsRequest r:
                r.SubscriptionId = subscription.Id;
                foreach (var item in r.ItemsToModify)
                {
                    item.MonitoredItemId = Item(item.MonitoredItemId);
                }

                break;
            case SetMonitoringModeRequest r: r.SubscriptionId = subscription.Id; r.MonitoredItemIds = Items(r.MonitoredItemIds); break;
            case DeleteMonitoredItemsRequest r: r.SubscriptionId = subscription.Id; r.MonitoredItemIds = Items(r.MonitoredItemIds); break;
            case ModifySubscriptionRequest r: r.SubscriptionId = subscription.Id; break;
            case RepublishRequest r: r.SubscriptionId = subscription.Id; break;
            case SetPublishingModeRequest r: r.SubscriptionIds = r.SubscriptionIds.Select(_ => subscription.Id).ToArray(); break;
            case TransferSubscriptionsRequest r: r.SubscriptionIds = r.SubscriptionIds.Select(_ => subscription.Id).ToArray(); break;
            case DeleteSubscriptionsRequest r when _random.Next(4) == 0: r.SubscriptionIds = r.SubscriptionIds.Select(_ => subscription.Id).ToArray(); break;
        }
    }

    private void ResetServer()
    {
        _server?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _server = new OpcUaServer(new ServerOptions { EndpointUrl = "opc.tcp://127.0.0.1:0/" });
        GoldenCorpus.Populate(_server);
        NewSession();
        _sinceReset = 0;
    }

    private void NewSession()
    {
        foreach (var session in _server.Sessions.Sessions.ToArray())
        {
            _server.Sessions.Close(session);
        }

        _session = _server.Sessions.Create("fuzz", 60_000, channelId: 1);
        _session.IsActivated = true;
        _session.UserName = "anonymous";
    }

    public void Dispose() => _server.DisposeAsync().AsTask().GetAwaiter().GetResult();
}
