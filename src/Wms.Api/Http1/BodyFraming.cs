namespace Wms.Api.Http1;

/// <summary>
/// The two headers that frame a request's body, as the HTTP server judges them: a Content-Length must be a
/// non-negative number, and a Transfer-Encoding must end with chunked. Where this cannot be sure the server refuses
/// (a Content-Length of "-0"), it lets the request through, for the server to decide.
/// </summary>
public static class BodyFraming
{
    /// <summary>False when the server refuses <paramref name="value"/> as a Content-Length.</summary>
    public static bool IsContentLengthReadable(ReadOnlySpan<byte> value)
    {
        var digits = value;
        var negative = false;
        if (digits.Length > 0 && digits[0] is (byte)'+' or (byte)'-')
        {
            negative = digits[0] == (byte)'-';
            digits = digits[1..];
        }
        if (digits.Length == 0)
        {
            return false;
        }
        ulong number = 0;
        foreach (var b in digits)
        {
            if (!HttpBytes.IsDigit(b))
            {
                return false;
            }
            number = number * 10 + (ulong)(b - '0');
            if (number > long.MaxValue)
            {
                return false;
            }
        }
        return !negative || number == 0;
    }

    /// <summary>
    /// Whether the last transfer coding listed (the values of every Transfer-Encoding header in order, items
    /// between commas, spaces around them dropped, empty ones skipped) is chunked, ignoring case. None listed is not.
    /// </summary>
    public static bool IsLastCodingChunked(IEnumerable<string> transferEncodings)
    {
        string? last = null;
        foreach (var value in transferEncodings)
        {
            foreach (var item in value.Split(','))
            {
                var coding = item.Trim(' ');
                if (coding.Length > 0)
                {
                    last = coding;
                }
            }
        }
        return string.Equals(last, "chunked", StringComparison.OrdinalIgnoreCase);
    }
}
