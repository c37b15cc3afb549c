using System.Text.Json.Serialization;

namespace EdgeApp.Sensor.Simulation;

/// <summary>One reading, in the seed's shape plus the machine id, its sequence number and creation time.</summary>
public sealed record TelemetryMessage(
    [property: JsonPropertyName("machineId")] string MachineId,
    [property: JsonPropertyName("sequence")] long Sequence,
    [property: JsonPropertyName("timeCreated")] DateTimeOffset TimeCreated,
    [property: JsonPropertyName("machine")] Conditions Machine,
    [property: JsonPropertyName("ambient")] Conditions Ambient);

/// <summary>Temperature in °C and pressure (bar for the machine, hPa for the ambient air).</summary>
public sealed record Conditions(
    [property: JsonPropertyName("temperature")] double Temperature,
    [property: JsonPropertyName("pressure")] double Pressure);

[JsonSerializable(typeof(TelemetryMessage))]
public sealed partial class SensorJsonContext : JsonSerializerContext;
