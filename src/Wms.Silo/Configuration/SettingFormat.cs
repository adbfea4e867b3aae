using System.Globalization;
using System.Text.Json;
using Wms.Api.Configuration;

namespace Wms.Silo.Configuration;

/// <summary>
/// How the text of an upstream setting becomes configuration the options binder reads: as it is, or turned into the
/// binder's own forms (seconds into a TimeSpan, a comma list into items, a JSON object into keys).
/// </summary>
public sealed class SettingFormat
{
    private readonly Func<string, IReadOnlyList<KeyValuePair<string, string?>>?> _read;

    private SettingFormat(
        bool emptyIsUnset, bool quotesValue, Func<string, IReadOnlyList<KeyValuePair<string, string?>>?> read)
    {
        EmptyIsUnset = emptyIsUnset;
        QuotesValue = quotesValue;
        _read = read;
    }

    /// <summary>Whether an empty value counts as unset (numbers, JSON) or as empty text (names, URLs).</summary>
    public bool EmptyIsUnset { get; }

    /// <summary>Whether a refusal quotes the value back; a JSON document is too long to.</summary>
    public bool QuotesValue { get; }

    /// <summary>Verbatim, empty included.</summary>
    public static SettingFormat Text { get; } = new(false, true, One);

    /// <summary>Verbatim; empty counts as not set.</summary>
    public static SettingFormat NonEmptyText { get; } = new(true, true, One);

    /// <summary>A keyword, in any case and spacing.</summary>
    public static SettingFormat Word { get; } = new(false, true, text => One(text.Trim().ToLowerInvariant()));

    /// <summary><c>true</c> in any case is true; any other value is false.</summary>
    public static SettingFormat Flag { get; } = new(true, true, text =>
        One(string.Equals(text.Trim(), "true", StringComparison.OrdinalIgnoreCase) ? "true" : "false"));

    /// <summary>A whole number: digits, with a sign and surrounding blanks allowed.</summary>
    public static SettingFormat WholeNumber { get; } = new(true, true, text =>
        int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
            ? One(n.ToString(CultureInfo.InvariantCulture))
            : null);

    /// <summary>Digits only: a count of bytes.</summary>
    public static SettingFormat Bytes { get; } = new(true, true, text =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? One(n.ToString(CultureInfo.InvariantCulture))
            : null);

    /// <summary>Seconds, fractions allowed, written as the TimeSpan they are.</summary>
    public static SettingFormat Seconds { get; } = new(true, true, text =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds)
            && double.IsFinite(seconds) && AsTimeSpan(seconds) is { } span
            ? One(span.ToString("c", CultureInfo.InvariantCulture))
            : null);

    /// <summary>Comma-separated items, blanks dropped, written as the items of a list.</summary>
    public static SettingFormat CommaList { get; } = new(false, true, text =>
        text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select((item, i) => KeyValuePair.Create($":{i}", (string?)item))
            .ToList());

    /// <summary>
    /// A JSON object, location → {"collector", "schedd", "aliases"?}, written as a key per location and field (and
    /// per alias).
    /// </summary>
    public static SettingFormat ClusterLocations { get; } = new(true, false, ReadLocations);

    /// <summary>Key suffixes (empty: the setting's key itself) and values; null when the text cannot be read.</summary>
    public IReadOnlyList<KeyValuePair<string, string?>>? Read(string text) => _read(text);

    private static IReadOnlyList<KeyValuePair<string, string?>> One(string value) =>
        [KeyValuePair.Create("", (string?)value)];

    private static TimeSpan? AsTimeSpan(double seconds)
    {
        try
        {
            return TimeSpan.FromSeconds(seconds);
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static readonly JsonSerializerOptions LocationJson = new() { PropertyNameCaseInsensitive = true };

    private static List<KeyValuePair<string, string?>>? ReadLocations(string json)
    {
        Dictionary<string, CondorPool?>? parsed;
        try
        {
            parsed = JsonSerializer.Deserialize<Dictionary<string, CondorPool?>>(json, LocationJson);
        }
        catch (JsonException)
        {
            return null;
        }
        // A name is a configuration key here, and ':' separates a key's parts.
        if (parsed is null || parsed.Any(l => l.Value is null || l.Key.Length == 0 || l.Key.Contains(':')))
        {
            return null;
        }
        if (parsed.Any(l => l.Value!.Aliases is null || l.Value.Aliases.Any(a => a is null)))
        {
            return null;
        }
        return parsed.SelectMany(l => new[]
        {
            KeyValuePair.Create($":{l.Key}:{nameof(CondorPool.Collector)}", (string?)(l.Value!.Collector ?? "")),
            KeyValuePair.Create($":{l.Key}:{nameof(CondorPool.Schedd)}", (string?)(l.Value!.Schedd ?? "")),
        }.Concat(l.Value!.Aliases.Select((alias, i) =>
            KeyValuePair.Create($":{l.Key}:{nameof(CondorPool.Aliases)}:{i}", (string?)alias)))).ToList();
    }
}
