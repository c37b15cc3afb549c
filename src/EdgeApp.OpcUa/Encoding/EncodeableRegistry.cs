using System.Collections.Concurrent;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// Maps binary encoding ids (namespace 0, numeric) to decoders: used for ExtensionObject bodies and to decode a
/// service message from its type id. Registration is thread-safe; lookups are lock-free.
/// </summary>
public sealed class EncodeableRegistry
{
    private readonly ConcurrentDictionary<NodeId, EncodeableDecoder> _decoders = new();

    /// <summary>The shared registry, pre-filled with every service and data type of this stack.</summary>
    public static EncodeableRegistry Default { get; } = CreateDefault();

    public void Register<T>()
        where T : IEncodeable<T> => _decoders[new NodeId(T.EncodingId)] = static (ref UaReader r) => T.Decode(ref r);

    public void Register(NodeId encodingId, EncodeableDecoder decoder) => _decoders[encodingId] = decoder;

    public bool TryGetDecoder(NodeId encodingId, out EncodeableDecoder decoder) =>
        _decoders.TryGetValue(encodingId, out decoder!);

    private static EncodeableRegistry CreateDefault()
    {
        var registry = new EncodeableRegistry();
        Services.ServiceTypes.RegisterAll(registry);
        return registry;
    }
}
