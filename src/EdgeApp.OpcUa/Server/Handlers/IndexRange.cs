using System.Globalization;
using EdgeApp.OpcUa.Encoding;

namespace EdgeApp.OpcUa.Server.Handlers;

/// <summary>NumericRange for reads of one-dimensional arrays, strings and ByteStrings (Part 4 §7, NumericRange).</summary>
internal static class IndexRange
{
    /// <summary>Parses "5" or "2:4"; false for syntax errors (BadIndexRangeInvalid). Multi-dimensional ranges are not supported.</summary>
    public static bool TryParse(string text, out int start, out int end)
    {
        start = end = 0;
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        if (colon < 0)
        {
            var ok = int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out start);
            end = start;
            return ok;
        }

        return int.TryParse(text.AsSpan(0, colon), NumberStyles.None, CultureInfo.InvariantCulture, out start)
            && int.TryParse(text.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out end)
            && end > start;
    }

    /// <summary>Applies the range to a value; the status is BadIndexRangeNoData when nothing of it exists.</summary>
    public static StatusCode Apply(ref Variant value, string text)
    {
        if (!TryParse(text, out var start, out var end))
        {
            return StatusCodes.BadIndexRangeInvalid;
        }

        if (value.IsArray && value.ArrayDimensions is null)
        {
            var array = value.Array!;
            if (start >= array.Length)
            {
                return StatusCodes.BadIndexRangeNoData;
            }

            var count = Math.Min(end, array.Length - 1) - start + 1;
            var slice = Array.CreateInstance(array.GetType().GetElementType()!, count);
            Array.Copy(array, start, slice, 0, count);
            value = Variant.FromArray(value.Type, slice);
            return StatusCodes.Good;
        }

        switch (value.Value)
        {
            case string s when start < s.Length:
                value = new Variant(s.Substring(start, Math.Min(end, s.Length - 1) - start + 1));
                return StatusCodes.Good;
            case byte[] b when start < b.Length:
                value = new Variant(b[start..(Math.Min(end, b.Length - 1) + 1)]);
                return StatusCodes.Good;
            case string or byte[]:
                return StatusCodes.BadIndexRangeNoData;
            default:
                return StatusCodes.BadIndexRangeInvalid;
        }
    }
}
