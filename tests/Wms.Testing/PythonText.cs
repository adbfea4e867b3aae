using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>
/// How the Python TMS turns JSON values into text: <c>str()</c>, <c>repr()</c>, truthiness and <c>json.dumps</c>
/// with its default settings. The simulated TMS needs them to build the same environment values, byte for byte.
/// </summary>
internal static class PythonText
{
    /// <summary>Python's truth test on a decoded JSON value: null, false, 0, "", [] and {} are false.</summary>
    public static bool IsTruthy(JsonNode? node) => node switch
    {
        null => false,
        JsonObject obj => obj.Count > 0,
        JsonArray arr => arr.Count > 0,
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => v.GetValue<string>().Length > 0,
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.Number => ToDouble(v) != 0,
            _ => false,
        },
        _ => false,
    };

    /// <summary>Python's <c>str(value)</c> of a decoded JSON value (a string is itself, None is "None").</summary>
    public static string Str(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() is JsonValueKind.String ? v.GetValue<string>() : Repr(node);

    /// <summary>Python's <c>repr(value)</c> of a decoded JSON value, e.g. <c>['MQ-1', 'MQ-2']</c>.</summary>
    public static string Repr(JsonNode? node) => node switch
    {
        null => "None",
        JsonObject obj => "{" + string.Join(", ", obj.Select(kv => $"{ReprString(kv.Key)}: {Repr(kv.Value)}")) + "}",
        JsonArray arr => "[" + string.Join(", ", arr.Select(Repr)) + "]",
        JsonValue v => v.GetValueKind() switch
        {
            JsonValueKind.String => ReprString(v.GetValue<string>()),
            JsonValueKind.True => "True",
            JsonValueKind.False => "False",
            JsonValueKind.Number => Number(v),
            _ => "None",
        },
        _ => "None",
    };

    /// <summary>Python's <c>json.dumps(value)</c>: ", " and ": " separators, non-ASCII escaped, keys in given order.</summary>
    public static string JsonDumps(JsonNode? node)
    {
        var text = new StringBuilder();
        Dump(node, text);
        return text.ToString();
    }

    private static void Dump(JsonNode? node, StringBuilder text)
    {
        switch (node)
        {
            case null:
                text.Append("null");
                break;
            case JsonObject obj:
                text.Append('{');
                var firstMember = true;
                foreach (var (key, value) in obj)
                {
                    text.Append(firstMember ? "" : ", ");
                    firstMember = false;
                    DumpString(key, text);
                    text.Append(": ");
                    Dump(value, text);
                }

                text.Append('}');
                break;
            case JsonArray arr:
                text.Append('[');
                for (var i = 0; i < arr.Count; i++)
                {
                    text.Append(i == 0 ? "" : ", ");
                    Dump(arr[i], text);
                }

                text.Append(']');
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.String:
                DumpString(v.GetValue<string>(), text);
                break;
            case JsonValue v when v.GetValueKind() is JsonValueKind.Number:
                text.Append(Number(v));
                break;
            case JsonValue v:
                text.Append(v.GetValueKind() is JsonValueKind.True ? "true" : v.GetValueKind() is JsonValueKind.False ? "false" : "null");
                break;
        }
    }

    private static void DumpString(string value, StringBuilder text)
    {
        text.Append('"');
        foreach (var c in value)
        {
            switch (c)
            {
                case '"':
                    text.Append("\\\"");
                    break;
                case '\\':
                    text.Append("\\\\");
                    break;
                case '\n':
                    text.Append("\\n");
                    break;
                case '\r':
                    text.Append("\\r");
                    break;
                case '\t':
                    text.Append("\\t");
                    break;
                case '\b':
                    text.Append("\\b");
                    break;
                case '\f':
                    text.Append("\\f");
                    break;
                case < ' ' or > '~':
                    // ensure_ascii: every other control and every non-ASCII UTF-16 unit becomes \uXXXX.
                    text.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default:
                    text.Append(c);
                    break;
            }
        }

        text.Append('"');
    }

    // repr() prefers single quotes and switches to double quotes only when that avoids escaping.
    private static string ReprString(string value)
    {
        var quote = value.Contains('\'', StringComparison.Ordinal) && !value.Contains('"', StringComparison.Ordinal) ? '"' : '\'';
        var text = new StringBuilder().Append(quote);
        foreach (var c in value)
        {
            if (c == quote || c == '\\')
            {
                text.Append('\\').Append(c);
            }
            else if (c == '\n')
            {
                text.Append("\\n");
            }
            else if (c == '\r')
            {
                text.Append("\\r");
            }
            else if (c == '\t')
            {
                text.Append("\\t");
            }
            else if (c < ' ' || c == '\x7f')
            {
                text.Append("\\x").Append(((int)c).ToString("x2", CultureInfo.InvariantCulture));
            }
            else
            {
                text.Append(c);
            }
        }

        return text.Append(quote).ToString();
    }

    // Read through the JSON text: a value built in code (JsonValue.Create(3)) does not convert with GetValue<double>.
    private static double ToDouble(JsonValue value) =>
        double.Parse(value.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);

    // Python prints a JSON integer as written and a float by its shortest round-trip form, always with a "." or "e".
    private static string Number(JsonValue value)
    {
        var raw = value.ToJsonString();
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0)
        {
            return raw;
        }

        var text = ToDouble(value).ToString("R", CultureInfo.InvariantCulture).Replace("E", "e", StringComparison.Ordinal);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('e', StringComparison.Ordinal) ? text : text + ".0";
    }
}
