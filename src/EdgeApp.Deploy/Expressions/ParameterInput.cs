using System.Text.Json.Nodes;
using EdgeApp.Deploy.Manifest;

namespace EdgeApp.Deploy.Expressions;

/// <summary>What a <c>parameter.v0</c> says about its value: secret or not, a default, or a generated default.</summary>
public sealed record ParameterInput(string Parameter, bool Secret, string? DefaultValue, GeneratedDefault? Generate)
{
    /// <summary>Secret and generated values are produced in the cluster, never written by the generator.</summary>
    public bool LivesInSecret => Secret || Generate is not null;

    public static ParameterInput From(ManifestResource parameter, string input = "value")
    {
        var body = parameter.GetObject("inputs")?[input] as JsonObject;
        var secret = ManifestResource.ReadBool(body?["secret"]) ?? false;
        var defaults = body?["default"] as JsonObject;
        var value = defaults?["value"] is JsonValue v ? parameter.ReadString(v, $"inputs.{input}.default.value") : null;
        var generate = defaults?["generate"] is JsonObject g ? GeneratedDefault.From(g) : null;
        return new ParameterInput(parameter.Name, secret, value, generate);
    }
}

/// <summary>Aspire's <c>default.generate</c>: the rules for a random value (see <c>GenerateParameterDefault</c>).</summary>
public sealed record GeneratedDefault(int MinLength, bool Lower, bool Upper, bool Numeric, bool Special)
{
    /// <summary>Letters and digits only: such a value needs no URI encoding.</summary>
    public bool IsUriSafe => !Special;

    public static GeneratedDefault From(JsonObject body) => new(
        ManifestResource.ReadInt(body["minLength"]) ?? 22,
        ManifestResource.ReadBool(body["lower"]) ?? true,
        ManifestResource.ReadBool(body["upper"]) ?? true,
        ManifestResource.ReadBool(body["numeric"]) ?? true,
        ManifestResource.ReadBool(body["special"]) ?? true);
}
