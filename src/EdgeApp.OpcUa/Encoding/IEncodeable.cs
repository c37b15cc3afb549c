namespace EdgeApp.OpcUa.Encoding;

/// <summary>A structure with a UA Binary encoding (Part 6 §5.2.6): services' requests and responses, and data types.</summary>
public interface IEncodeable
{
    /// <summary>The NodeId of the DefaultBinary encoding object that prefixes this type on the wire.</summary>
    NodeId BinaryEncodingId { get; }

    void Encode(ref UaWriter writer);
}

/// <summary>An encodeable that can be decoded generically (arrays of structures, the type registry).</summary>
public interface IEncodeable<TSelf> : IEncodeable
    where TSelf : IEncodeable<TSelf>
{
    static abstract uint EncodingId { get; }

    static abstract TSelf Decode(ref UaReader reader);
}

/// <summary>Decodes a structure body; a delegate type because lambdas cannot take a ref struct otherwise.</summary>
public delegate IEncodeable EncodeableDecoder(ref UaReader reader);
