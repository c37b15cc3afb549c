using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeApp.Deploy.Diagnostics;

namespace EdgeApp.Deploy.Manifest;

/// <summary>One entry of the manifest's <c>resources</c>, with typed access to the fields the mappers use.</summary>
public sealed class ManifestResource(string name, JsonObject body)
{
    public string Name { get; } = name;

    public JsonObject Body { get; } = body;

    public string Type => GetString("type") ?? throw new DeployException(Name, "type", "missing");

    public string? Path => GetString("path");

    public string? Image => GetString("image");

    public string? Entrypoint => GetString("entrypoint");

    public string? ConnectionString => GetString("connectionString");

    public string? Value => GetString("value");

    /// <summary>Environment variables in declaration order (names keep their case).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Env => GetStringMap("env");

    public IReadOnlyList<string> Args => GetStringList("args");

    public IReadOnlyList<ManifestBinding> Bindings =>
        Body["bindings"] is JsonObject bindings
            ? bindings.Select(b => ManifestBinding.From(Name, b.Key, b.Value as JsonObject)).ToList()
            : [];

    public IReadOnlyList<ManifestVolume> Volumes =>
        Body["volumes"] is JsonArray volumes
            ? volumes.OfType<JsonObject>().Select((v, i) => ManifestVolume.From(Name, i, v)).ToList()
            : [];

    public bool HasBindMounts => Body["bindMounts"] is JsonArray { Count: > 0 };

    public string? GetString(string field) => ReadString(Body[field], field);

    public JsonObject? GetObject(string field) => Body[field] as JsonObject;

    public string? ReadString(JsonNode? node, string field)
    {
        if (node is null)
        {
            return null;
        }

        if (node is JsonValue value)
        {
            return value.GetValueKind() switch
            {
                JsonValueKind.String => value.GetValue<string>(),
                JsonValueKind.Number => value.ToJsonString(),
                JsonValueKind.True => "true",
                JsonValueKind.False => "false",
                _ => throw new DeployException(Name, field, "expected a string"),
            };
        }

        throw new DeployException(Name, field, "expected a string");
    }

    public IReadOnlyList<KeyValuePair<string, string>> GetStringMap(string field, JsonObject? from = null)
    {
        var node = (from ?? Body)[field];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonObject map)
        {
            throw new DeployException(Name, field, "expected an object of strings");
        }

        return map.Select(p => KeyValuePair.Create(p.Key, ReadString(p.Value, $"{field}.{p.Key}") ?? ""))
            .ToList();
    }

    public IReadOnlyList<string> GetStringList(string field, JsonObject? from = null)
    {
        var node = (from ?? Body)[field];
        if (node is null)
        {
            return [];
        }

        if (node is not JsonArray list)
        {
            throw new DeployException(Name, field, "expected an array of strings");
        }

        return list.Select((n, i) => ReadString(n, $"{field}[{i}]") ?? "").ToList();
    }

    public static bool? ReadBool(JsonNode? node) => node is JsonValue v && v.GetValueKind() is JsonValueKind.True or JsonValueKind.False
        ? v.GetValue<bool>()
        : node is JsonValue s && s.GetValueKind() == JsonValueKind.String && bool.TryParse(s.GetValue<string>(), out var b) ? b : null;

    public static int? ReadInt(JsonNode? node) => node is JsonValue v
        ? v.GetValueKind() switch
        {
            JsonValueKind.Number => v.GetValue<int>(),
            JsonValueKind.String when int.TryParse(v.GetValue<string>(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
            _ => null,
        }
        : null;
}
