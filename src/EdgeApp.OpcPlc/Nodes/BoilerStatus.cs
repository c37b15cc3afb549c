using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcPlc.Nodes;

/// <summary>BoilerHeaterStateType (ns=Boiler;i=15014): an enumeration, encoded as Int32.</summary>
public enum BoilerHeaterState
{
    Off = 0,
    On = 1,
}

/// <summary>
/// BoilerDataType (ns=Boiler;i=15032, DefaultBinary ns=Boiler;i=15072): Temperature {Top, Bottom} (BoilerTemperatureType,
/// Int32 °C), Pressure (Int32 Pa), HeaterState. Encoded as the fields in order (Part 6 §5.2.6), the nested structure inline.
/// </summary>
public sealed record BoilerStatus(int Top, int Bottom, int Pressure, BoilerHeaterState HeaterState, ushort BoilerNamespace) : IEncodeable
{
    public const uint DataTypeId = 15032;
    public const uint BinaryEncodingNumericId = 15072;

    public NodeId BinaryEncodingId => new(BinaryEncodingNumericId, BoilerNamespace);

    public void Encode(ref UaWriter writer)
    {
        writer.WriteInt32(Top);
        writer.WriteInt32(Bottom);
        writer.WriteInt32(Pressure);
        writer.WriteInt32((int)HeaterState);
    }

    /// <summary>Reads the body of a BoilerDataType extension object (16 bytes).</summary>
    public static BoilerStatus Decode(ReadOnlySpan<byte> body, ushort boilerNamespace)
    {
        var reader = new UaReader(body);
        return new BoilerStatus(reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), (BoilerHeaterState)reader.ReadInt32(), boilerNamespace);
    }
}
