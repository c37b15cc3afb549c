using BenchmarkDotNet.Attributes;
using EdgeApp.OpcUa.Encoding;
using EdgeApp.OpcUa.Services;

namespace EdgeApp.Benchmarks.OpcUa;

/// <summary>
/// Encode and decode of a ReadResponse and a BrowseResponse with 1,000 results each, the two largest messages a
/// browsing/polling client sees. Encoding reuses one pooled buffer, as the server's send path does.
/// </summary>
[MemoryDiagnoser]
public class MessageCodecBenchmarks
{
    private readonly ByteBuffer _buffer = new(1 << 20);
    private ReadResponse _read = null!;
    private BrowseResponse _browse = null!;
    private byte[] _readBytes = null!;
    private byte[] _browseBytes = null!;

    [GlobalSetup]
    public void Setup()
    {
        var now = DateTime.UtcNow;
        _read = new ReadResponse
        {
            ResponseHeader = new ResponseHeader { Timestamp = now, RequestHandle = 1 },
            Results = Enumerable.Range(0, 1000).Select(i => new DataValue(new Variant(i * 0.5), default, now, now)).ToArray(),
        };
        _browse = new BrowseResponse
        {
            ResponseHeader = new ResponseHeader { Timestamp = now, RequestHandle = 1 },
            Results =
            [
                new BrowseResult
                {
                    References = Enumerable.Range(0, 1000).Select(i => new ReferenceDescription
                    {
                        ReferenceTypeId = ReferenceTypeIds.HasComponent,
                        IsForward = true,
                        NodeId = new NodeId($"Fast{i}", 2),
                        BrowseName = new QualifiedName(2, $"Fast{i}"),
                        DisplayName = new LocalizedText(null, $"Fast{i}"),
                        NodeClass = NodeClass.Variable,
                        TypeDefinition = new NodeId(VariableTypeIds.BaseDataVariableType),
                    }).ToArray(),
                },
            ],
        };
        _readBytes = Encode(_read);
        _browseBytes = Encode(_browse);
    }

    private byte[] Encode(IEncodeable message)
    {
        _buffer.Reset();
        var writer = new UaWriter(_buffer);
        ServiceTypes.EncodeMessage(ref writer, message);
        return _buffer.WrittenSpan.ToArray();
    }

    [Benchmark]
    public int EncodeReadResponse()
    {
        _buffer.Reset();
        var writer = new UaWriter(_buffer);
        ServiceTypes.EncodeMessage(ref writer, _read);
        return _buffer.Length;
    }

    [Benchmark]
    public int DecodeReadResponse()
    {
        var reader = new UaReader(_readBytes);
        return ((ReadResponse)ServiceTypes.DecodeMessage(ref reader, out _)).Results.Length;
    }

    [Benchmark]
    public int EncodeBrowseResponse()
    {
        _buffer.Reset();
        var writer = new UaWriter(_buffer);
        ServiceTypes.EncodeMessage(ref writer, _browse);
        return _buffer.Length;
    }

    [Benchmark]
    public int DecodeBrowseResponse()
    {
        var reader = new UaReader(_browseBytes);
        return ((BrowseResponse)ServiceTypes.DecodeMessage(ref reader, out _)).Results[0].References.Length;
    }
}
