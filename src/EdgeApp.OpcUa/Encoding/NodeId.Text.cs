using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>The text form of Part 6 §5.3.1.10: <c>ns=2;s=StepUp</c>, <c>i=85</c>, <c>ns=1;g=...</c>, <c>ns=1;b=base64</c>.</summary>
public readonly partial struct NodeId
{
    public static NodeId Parse(string text) =>
        TryParse(text, out var id) ? id : throw new FormatException($"Invalid NodeId '{text}'.");

    public static bool TryParse([NotNullWhen(true)] string? text, out NodeId nodeId)
    {
        nodeId = default;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        ushort ns = 0;
        var rest = text.AsSpan();
        if (rest.StartsWith("ns="))
        {
            var semi = rest.IndexOf(';');
            if (semi < 0 || !ushort.TryParse(rest[3..semi], NumberStyles.None, CultureInfo.InvariantCulture, out ns))
            {
                return false;
            }

            rest = rest[(semi + 1)..];
        }

        return TryParseIdentifier(rest, ns, out nodeId);
    }

    /// <summary>Parses the <c>i=</c>/<c>s=</c>/<c>g=</c>/<c>b=</c> part, shared with ExpandedNodeId.</summary>
    internal static bool TryParseIdentifier(ReadOnlySpan<char> text, ushort ns, out NodeId nodeId)
    {
        nodeId = default;
        if (text.Length < 2 || text[1] != '=')
        {
            return false;
        }

        var value = text[2..];
        switch (text[0])
        {
            case 'i' when uint.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n):
                nodeId = new NodeId(n, ns);
                return true;
            case 's':
                nodeId = new NodeId(value.ToString(), ns);
                return true;
            case 'g' when Guid.TryParse(value, out var g):
                nodeId = new NodeId(g, ns);
                return true;
            case 'b':
                var bytes = new byte[value.Length * 3 / 4 + 3];
                if (!Convert.TryFromBase64Chars(value, bytes, out var written))
                {
                    return false;
                }

                nodeId = new NodeId(bytes[..written], ns);
                return true;
            default:
                return false;
        }
    }

    public override string ToString() => NamespaceIndex == 0 ? IdentifierText() : $"ns={NamespaceIndex};{IdentifierText()}";

    internal string IdentifierText() => IdType switch
    {
        IdType.Numeric => "i=" + _numeric.ToString(CultureInfo.InvariantCulture),
        IdType.String => "s=" + (string)_identifier!,
        IdType.Guid => "g=" + ((Guid)_identifier!).ToString("D"),
        _ => "b=" + Convert.ToBase64String((byte[])_identifier!),
    };
}
