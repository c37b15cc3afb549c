namespace EdgeApp.OpcUa.Encoding;

/// <summary>
/// Vendor-specific diagnostics for an operation (Part 4 §7, Part 6 §5.2.2.12). Indexes point into the response's
/// string table. Nesting is bounded by the decoder's depth limit.
/// </summary>
public sealed record DiagnosticInfo
{
    public int? SymbolicId { get; init; }

    public int? NamespaceUri { get; init; }

    public int? Locale { get; init; }

    public int? LocalizedText { get; init; }

    public string? AdditionalInfo { get; init; }

    public StatusCode? InnerStatusCode { get; init; }

    public DiagnosticInfo? InnerDiagnosticInfo { get; init; }
}
