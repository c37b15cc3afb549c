using System.Globalization;

namespace EdgeApp.OpcUa.Encoding;

/// <summary>A name qualified by a namespace index (Part 3 §8.3, Part 6 §5.2.2.13); text form <c>2:StepUp</c>.</summary>
public readonly record struct QualifiedName(ushort NamespaceIndex, string? Name)
{
    public QualifiedName(string name)
        : this(0, name)
    {
    }

    public bool IsNull => NamespaceIndex == 0 && string.IsNullOrEmpty(Name);

    public static QualifiedName Parse(string text)
    {
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return colon > 0 && ushort.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out var ns)
            ? new QualifiedName(ns, text[(colon + 1)..])
            : new QualifiedName(0, text);
    }

    public override string ToString() => NamespaceIndex == 0 ? Name ?? string.Empty : $"{NamespaceIndex}:{Name}";
}

/// <summary>Human-readable text with an optional locale (Part 3 §8.5, Part 6 §5.2.2.14).</summary>
public readonly record struct LocalizedText(string? Locale, string? Text)
{
    public LocalizedText(string? text)
        : this(null, text)
    {
    }

    public bool IsNull => Locale is null && Text is null;

    public static implicit operator LocalizedText(string? text) => new(null, text);

    public override string ToString() => Text ?? string.Empty;
}

/// <summary>An XML fragment carried as UTF-8 text (Part 6 §5.2.2.8).</summary>
public readonly record struct UaXmlElement(string? Xml)
{
    public override string ToString() => Xml ?? string.Empty;
}
