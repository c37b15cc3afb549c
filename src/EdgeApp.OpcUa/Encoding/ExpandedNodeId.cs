using System.Globalization;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// A NodeId that may name its namespace by URI and live on another server (Part 6 §5.2.2.10).
/// Text form: <c>nsu=http://microsoft.com/Opc/OpcPlc/;s=StepUp</c>, optionally prefixed by <c>svr=N;</c>.
/// </summary>
public readonly record struct ExpandedNodeId(NodeId NodeId, string? NamespaceUri = null, uint ServerIndex = 0)
{
    public static ExpandedNodeId Null => default;

    public bool IsNull => NodeId.IsNull && NamespaceUri is null && ServerIndex == 0;

    public static implicit operator ExpandedNodeId(NodeId nodeId) => new(nodeId);

    public static ExpandedNodeId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"Invalid ExpandedNodeId '{text}'.");

    public static bool TryParse(string? text, out ExpandedNodeId value)
    {
        value = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var rest = text.AsSpan();
        uint server = 0;
        if (rest.StartsWith("svr="))
        {
            var semi = rest.IndexOf(';');
            if (semi < 0 || !uint.TryParse(rest[4..semi], NumberStyles.None, CultureInfo.InvariantCulture, out server))
            {
                return false;
            }

            rest = rest[(semi + 1)..];
        }

        if (!rest.StartsWith("nsu="))
        {
            if (!NodeId.TryParse(rest.ToString(), out var plain))
            {
                return false;
            }

            value = new ExpandedNodeId(plain, null, server);
            return true;
        }

        // A URI never contains ";i=", ";s=", ";g=" or ";b=" but a string id may, so the first marker splits them.
        var idStart = FirstIdentifierStart(rest);
        if (idStart < 0 || !NodeId.TryParseIdentifier(rest[(idStart + 1)..], 0, out var id))
        {
            return false;
        }

        value = new ExpandedNodeId(id, Uri.UnescapeDataString(rest[4..idStart].ToString()), server);
        return true;
    }

    private static int FirstIdentifierStart(ReadOnlySpan<char> text)
    {
        for (var i = 0; i + 2 < text.Length; i++)
        {
            if (text[i] == ';' && text[i + 2] == '=' && text[i + 1] is 'i' or 's' or 'g' or 'b')
            {
                return i;
            }
        }

        return -1;
    }

    public override string ToString()
    {
        var prefix = ServerIndex != 0 ? $"svr={ServerIndex.ToString(CultureInfo.InvariantCulture)};" : string.Empty;
        return NamespaceUri is null ? prefix + NodeId : $"{prefix}nsu={EscapeUri(NamespaceUri)};{NodeId.IdentifierText()}";
    }

    /// <summary>Percent-encodes the characters that would break the nsu= form: '%' and ';' (Part 6 §5.3.1.11).</summary>
    private static string EscapeUri(string uri) =>
        uri.AsSpan().IndexOfAny('%', ';') < 0 ? uri : uri.Replace("%", "%25", StringComparison.Ordinal).Replace(";", "%3B", StringComparison.Ordinal);
}
