using System.Globalization;
using System.Text.Json;

namespace Wms.Cli.Output;

/// <summary>Reads members of the service's objects for display, tolerating ones a generation leaves out.</summary>
public static class JsonMembers
{
    /// <summary>The member as text: strings as they are, other values as JSON, missing or null as "".</summary>
    public static string Text(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind switch
            {
                JsonValueKind.String => value.GetString() ?? "",
                JsonValueKind.Null or JsonValueKind.Undefined => "",
                _ => value.GetRawText(),
            }
            : "";

    /// <summary>The member, or an undefined element when it is missing.</summary>
    public static JsonElement Member(this JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) ? value : default;

    /// <summary>A list of strings, joined for a cell.</summary>
    public static string List(this JsonElement element, string name, string separator = ", ")
    {
        var list = element.Member(name);
        return list.ValueKind == JsonValueKind.Array
            ? string.Join(separator, list.EnumerateArray().Select(i => i.ValueKind == JsonValueKind.String ? i.GetString() : i.GetRawText()))
            : "";
    }

    /// <summary>An epoch-seconds member as a UTC time, to the second; "" when missing or null.</summary>
    public static string Time(this JsonElement element, string name)
    {
        var value = element.Member(name);
        return value.ValueKind == JsonValueKind.Number && value.TryGetDouble(out var seconds)
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(seconds * 1000))
                .ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture)
            : "";
    }
}
