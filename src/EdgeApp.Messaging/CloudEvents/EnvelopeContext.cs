namespace EdgeApp.Messaging;

/// <summary>The attributes a transport adds around a payload: who sends, where to, and the trace it belongs to.</summary>
public readonly record struct EnvelopeContext(
    string Source,
    string PubSubName,
    string Topic,
    string TraceParent,
    string? TraceState,
    DateTimeOffset Time);
