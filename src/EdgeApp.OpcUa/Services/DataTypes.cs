using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Services;

/// <summary>A method argument's definition, the value of InputArguments/OutputArguments properties (Part 3 §8.6).</summary>
public sealed record Argument : IEncodeable<Argument>
{
    public static uint EncodingId => 298;

    public NodeId BinaryEncodingId => EncodingId;

    public string? Name { get; init; }

    public NodeId DataType { get; init; }

    /// <summary>-1 scalar, 1 one-dimensional array, 0 one or more dimensions (Part 3 §5.6.2).</summary>
    public int ValueRank { get; init; } = -1;

    public uint[] ArrayDimensions { get; init; } = [];

    public LocalizedText Description { get; init; }

    public void Encode(ref UaWriter w)
    {
        w.WriteString(Name);
        w.WriteNodeId(DataType);
        w.WriteInt32(ValueRank);
        w.WriteUInt32Array(ArrayDimensions);
        w.WriteLocalizedText(Description);
    }

    public static Argument Decode(ref UaReader r) => new()
    {
        Name = r.ReadString(),
        DataType = r.ReadNodeId(),
        ValueRank = r.ReadInt32(),
        ArrayDimensions = r.ReadUInt32Array(),
        Description = r.ReadLocalizedText(),
    };
}

/// <summary>Part 5 §12.4.</summary>
public sealed record BuildInfo : IEncodeable<BuildInfo>
{
    public static uint EncodingId => 340;

    public NodeId BinaryEncodingId => EncodingId;

    public string? ProductUri { get; init; }

    public string? ManufacturerName { get; init; }

    public string? ProductName { get; init; }

    public string? SoftwareVersion { get; init; }

    public string? BuildNumber { get; init; }

    public DateTime BuildDate { get; init; }

    public void Encode(ref UaWriter w)
    {
        w.WriteString(ProductUri);
        w.WriteString(ManufacturerName);
        w.WriteString(ProductName);
        w.WriteString(SoftwareVersion);
        w.WriteString(BuildNumber);
        w.WriteDateTime(BuildDate);
    }

    public static BuildInfo Decode(ref UaReader r) => new()
    {
        ProductUri = r.ReadString(),
        ManufacturerName = r.ReadString(),
        ProductName = r.ReadString(),
        SoftwareVersion = r.ReadString(),
        BuildNumber = r.ReadString(),
        BuildDate = r.ReadDateTime(),
    };
}

/// <summary>The value of Server/ServerStatus (Part 5 §12.10).</summary>
public sealed record ServerStatusDataType : IEncodeable<ServerStatusDataType>
{
    public static uint EncodingId => 864;

    public NodeId BinaryEncodingId => EncodingId;

    public DateTime StartTime { get; init; }

    public DateTime CurrentTime { get; init; }

    public ServerState State { get; init; }

    public BuildInfo BuildInfo { get; init; } = new();

    public uint SecondsTillShutdown { get; init; }

    public LocalizedText ShutdownReason { get; init; }

    public void Encode(ref UaWriter w)
    {
        w.WriteDateTime(StartTime);
        w.WriteDateTime(CurrentTime);
        w.WriteInt32((int)State);
        BuildInfo.Encode(ref w);
        w.WriteUInt32(SecondsTillShutdown);
        w.WriteLocalizedText(ShutdownReason);
    }

    public static ServerStatusDataType Decode(ref UaReader r) => new()
    {
        StartTime = r.ReadDateTime(),
        CurrentTime = r.ReadDateTime(),
        State = (ServerState)r.ReadInt32(),
        BuildInfo = BuildInfo.Decode(ref r),
        SecondsTillShutdown = r.ReadUInt32(),
        ShutdownReason = r.ReadLocalizedText(),
    };
}
