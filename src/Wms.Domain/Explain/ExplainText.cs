using System.Globalization;

namespace Wms.Domain.Explain;

/// <summary>How explanations write times, durations and counts for people: UTC to the second, rounded spans.</summary>
public static class ExplainText
{
    /// <summary>Epoch seconds as a UTC time to the second, e.g. <c>2026-12-07T10:00:00Z</c>.</summary>
    public static string Time(double epochSeconds)
    {
        var at = DateTimeOffset.UnixEpoch.AddTicks((long)Math.Floor(epochSeconds * TimeSpan.TicksPerSecond));
        return at.UtcDateTime.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss'Z'", CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// A span in the unit that reads best, rounded: seconds under a minute and a half, minutes under an hour and a
    /// half, hours under two days, days beyond.
    /// </summary>
    public static string Duration(double seconds)
    {
        var s = Math.Max(0, seconds);
        if (s < 10 && Math.Round(s, 1) != Math.Round(s))
        {
            // A pace of half a second, say, is no "0 seconds".
            return string.Create(CultureInfo.InvariantCulture, $"{Math.Round(s, 1):0.0} seconds");
        }
        return s switch
        {
            < 90 => Count((long)Math.Round(s), "second"),
            < 90 * 60 => Count((long)Math.Round(s / 60), "minute"),
            < 48 * 3600 => Count((long)Math.Round(s / 3600), "hour"),
            _ => Count((long)Math.Round(s / 86400), "day"),
        };
    }

    /// <summary><c>1 worker</c>, <c>3 workers</c>.</summary>
    public static string Count(long n, string singular, string? plural = null) =>
        string.Create(CultureInfo.InvariantCulture, $"{n} {(n == 1 ? singular : plural ?? singular + "s")}");

    /// <summary>A list read out: <c>a</c>, <c>a and b</c>, <c>a, b and c</c>.</summary>
    public static string List(IReadOnlyList<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => string.Join(", ", items.Take(items.Count - 1)) + " and " + items[^1],
    };
}
