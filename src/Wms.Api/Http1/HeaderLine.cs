using System.Text.Unicode;

namespace Wms.Api.Http1;

/// <summary>
/// A header line as the HTTP server reads it: a non-empty name ending at a colon, with no space or tab before the
/// colon (no folded continuation lines either), then a value with the spaces and tabs around it dropped. The name
/// must be ASCII, and the value ASCII or UTF-8, neither with a NUL: the server refuses what it cannot decode.
/// </summary>
public static class HeaderLine
{
    /// <summary>Splits <paramref name="line"/> (without its line ending) into name and value; false when malformed.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out Range name, out Range value)
    {
        name = value = default;
        var nameEnd = line.IndexOfAny((byte)':', HttpBytes.Space, HttpBytes.Tab);
        if (nameEnd <= 0 || line[nameEnd] != (byte)':')
        {
            return false;
        }
        var start = nameEnd + 1;
        while (start < line.Length && line[start] is HttpBytes.Space or HttpBytes.Tab)
        {
            start++;
        }
        var end = line.Length;
        while (end > start && line[end - 1] is HttpBytes.Space or HttpBytes.Tab)
        {
            end--;
        }
        name = ..nameEnd;
        value = start..end;
        return true;
    }

    public static bool IsReadableName(ReadOnlySpan<byte> name) => HttpBytes.IsAsciiNotNul(name);

    public static bool IsReadableValue(ReadOnlySpan<byte> value) => value.IndexOf((byte)0) < 0 && Utf8.IsValid(value);

    /// <summary>The name compared as the server compares names: ASCII, ignoring case.</summary>
    public static bool Is(ReadOnlySpan<byte> name, ReadOnlySpan<byte> expected) =>
        System.Text.Ascii.EqualsIgnoreCase(name, expected);
}
