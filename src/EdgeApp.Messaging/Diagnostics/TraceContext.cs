using System.Diagnostics;

namespace EdgeApp.Messaging.Diagnostics;

/// <summary>W3C trace context carried inside CloudEvents so one trace spans producer, broker and consumer.</summary>
internal static class TraceContext
{
    /// <summary>The traceparent of <paramref name="activity"/>, or a fresh unsampled one so consumers can still correlate.</summary>
    public static (string TraceParent, string? TraceState) From(Activity? activity)
    {
        if (activity is not null && activity.IdFormat == ActivityIdFormat.W3C)
        {
            return (activity.Id!, activity.TraceStateString);
        }

        var flags = ActivityTraceFlags.None;
        return ($"00-{ActivityTraceId.CreateRandom().ToHexString()}-{ActivitySpanId.CreateRandom().ToHexString()}-0{(int)flags}", null);
    }

    public static ActivityContext Parse(string? traceParent, string? traceState) =>
        traceParent is not null && ActivityContext.TryParse(traceParent, traceState, isRemote: true, out var context)
            ? context
            : default;
}
