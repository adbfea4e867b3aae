using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Requests;

/// <summary>
/// Checks a parsed request against the shape we accept, naming the offending place (for example
/// <c>tasks[0].worker_config.n_cores</c>) in the 400 it raises.
/// </summary>
public static class JsonShape
{
    public static JsonObject Object(JsonNode? node, string path) =>
        node as JsonObject ?? throw Bad(path, "must be a JSON object");

    public static void OnlyKeys(JsonObject obj, string path, IReadOnlyCollection<string> allowed)
    {
        foreach (var (key, _) in obj)
        {
            if (!allowed.Contains(key))
            {
                throw new BadRequestException($"{Where(path)}unknown field '{key}'");
            }
        }
    }

    public static JsonNode? Required(JsonObject obj, string key, string path) =>
        obj.TryGetPropertyValue(key, out var value)
            ? value
            : throw new BadRequestException($"{Where(path)}missing required field '{key}'");

    public static string String(JsonNode? node, string path, bool allowEmpty = true)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.String)
        {
            var text = value.GetValue<string>();
            return allowEmpty || text.Length > 0 ? text : throw Bad(path, "must not be empty");
        }
        throw Bad(path, "must be a string");
    }

    public static long Integer(JsonNode? node, string path)
    {
        if (node is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n))
        {
            return n;
        }
        if (node is JsonValue number && number.GetValueKind() == JsonValueKind.Number)
        {
            throw Bad(path, "must be a whole number within 64 bits");
        }
        throw Bad(path, "must be an integer");
    }

    public static long? NullableInteger(JsonNode? node, string path) => node is null ? null : Integer(node, path);

    public static bool Boolean(JsonNode? node, string path) =>
        node is JsonValue value && value.GetValueKind() is JsonValueKind.True or JsonValueKind.False
            ? value.GetValue<bool>()
            : throw Bad(path, "must be true or false");

    /// <summary>Most items of a list of names (aliases, locations, files): generous, but a bound on what one request costs.</summary>
    public const int MaxListItems = 1000;

    public static List<string> StringList(JsonNode? node, string path, int minItems = 0, bool unique = true)
    {
        if (node is not JsonArray array)
        {
            throw Bad(path, "must be a list of strings");
        }
        if (array.Count > MaxListItems)
        {
            throw Bad(path, $"must hold at most {MaxListItems} items");
        }
        var items = array.Select((item, i) => String(item, $"{path}[{i}]")).ToList();
        if (items.Count < minItems)
        {
            throw Bad(path, $"must hold at least {minItems} item{(minItems == 1 ? "" : "s")}");
        }
        if (unique && items.Distinct().Count() != items.Count)
        {
            throw Bad(path, "must not repeat an item");
        }
        return items;
    }

    public static BadRequestException Bad(string path, string problem) => new($"{path} {problem}");

    private static string Where(string path) => path.Length == 0 ? "" : $"{path}: ";
}
