using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Query.Tests.Conformance;

/// <summary>Loads the JSON case tables copied next to the test assembly.</summary>
public static class ConformanceData
{
    // The depth-bomb cases nest far deeper than System.Text.Json's default limit of 64.
    private static readonly JsonDocumentOptions ReadOptions = new() { MaxDepth = 1024 };

    public static JsonArray Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Conformance", fileName);
        var node = JsonNode.Parse(File.ReadAllText(path), documentOptions: ReadOptions)
            ?? throw new InvalidDataException($"{fileName} is empty");
        return node.AsArray();
    }

    public static IReadOnlyDictionary<string, JsonObject> ByName(JsonArray cases)
    {
        var byName = new Dictionary<string, JsonObject>(StringComparer.Ordinal);
        foreach (var item in cases)
        {
            var obj = item!.AsObject();
            byName.Add(obj["name"]!.GetValue<string>(), obj);
        }

        return byName;
    }
}
