using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>
/// Equality and ordering of JSON values as the filter language defines them: numbers by value,
/// strings by Unicode code point (the byte order of UTF-8), objects key-by-key ignoring key order,
/// arrays element-by-element in order. C# <c>null</c> is JSON <c>null</c>.
/// </summary>
internal static class JsonComparer
{
    public static JsonTypeClass ClassOf(JsonNode? node) => node switch
    {
        null => JsonTypeClass.Null,
        JsonObject => JsonTypeClass.Object,
        JsonArray => JsonTypeClass.Array,
        _ => node.GetValueKind() switch
        {
            JsonValueKind.Number => JsonTypeClass.Number,
            JsonValueKind.String => JsonTypeClass.String,
            JsonValueKind.True or JsonValueKind.False => JsonTypeClass.Boolean,
            _ => JsonTypeClass.Null,
        },
    };

    public static bool ValueEquals(JsonNode? left, JsonNode? right)
    {
        var type = ClassOf(left);
        if (type != ClassOf(right))
        {
            return false;
        }

        switch (type)
        {
            case JsonTypeClass.Null:
                return true;
            case JsonTypeClass.Object:
                var a = (JsonObject)left!;
                var b = (JsonObject)right!;
                if (a.Count != b.Count)
                {
                    return false;
                }

                foreach (var (key, value) in a)
                {
                    if (!b.TryGetPropertyValue(key, out var other) || !ValueEquals(value, other))
                    {
                        return false;
                    }
                }

                return true;
            case JsonTypeClass.Array:
                var x = (JsonArray)left!;
                var y = (JsonArray)right!;
                if (x.Count != y.Count)
                {
                    return false;
                }

                for (var i = 0; i < x.Count; i++)
                {
                    if (!ValueEquals(x[i], y[i]))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return CompareScalars(type, (JsonValue)left!, (JsonValue)right!) == 0;
        }
    }

    /// <summary>
    /// Orders two scalars of the same class (number, string or boolean). Returns null when the
    /// values are not comparable: different classes, or objects/arrays, which range operators
    /// deliberately never match.
    /// </summary>
    public static int? CompareForRange(JsonNode? left, JsonNode? right)
    {
        var type = ClassOf(left);
        if (type != ClassOf(right))
        {
            return null;
        }

        return type switch
        {
            JsonTypeClass.Null => 0,
            JsonTypeClass.Number or JsonTypeClass.String or JsonTypeClass.Boolean =>
                CompareScalars(type, (JsonValue)left!, (JsonValue)right!),
            _ => null,
        };
    }

    private static int CompareScalars(JsonTypeClass type, JsonValue left, JsonValue right) => type switch
    {
        JsonTypeClass.Number => JsonNumber.From(left).CompareTo(JsonNumber.From(right)),
        JsonTypeClass.String => CompareCodePoints(GetString(left), GetString(right)),
        _ => (left.GetValueKind() == JsonValueKind.True).CompareTo(right.GetValueKind() == JsonValueKind.True),
    };

    /// <summary>The text of a string-kind value, also when it wraps a CLR type such as a date.</summary>
    public static string GetString(JsonValue value) =>
        value.TryGetValue(out string? text) ? text : JsonSerializer.Deserialize<string>(value.ToJsonString())!;

    /// <summary>
    /// Ordinal comparison by Unicode code point. Plain UTF-16 ordinal order differs only when a
    /// surrogate pair meets a character in U+E000..U+FFFF, so that case is corrected here.
    /// </summary>
    public static int CompareCodePoints(string left, string right)
    {
        var length = Math.Min(left.Length, right.Length);
        for (var i = 0; i < length; i++)
        {
            var a = left[i];
            var b = right[i];
            if (a == b)
            {
                continue;
            }

            var aSurrogate = char.IsSurrogate(a);
            var bSurrogate = char.IsSurrogate(b);
            if (aSurrogate && !bSurrogate && b >= '\uE000')
            {
                return 1;
            }

            if (bSurrogate && !aSurrogate && a >= '\uE000')
            {
                return -1;
            }

            return a < b ? -1 : 1;
        }

        return left.Length.CompareTo(right.Length);
    }
}
