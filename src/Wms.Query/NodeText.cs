using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>Shared helpers for the nodes' debug text and hash codes.</summary>
internal static class NodeText
{
    public static string Call(string name, IEnumerable<FilterNode> children) =>
        name + "(" + string.Join(", ", children.Select(c => c.ToString())) + ")";

    public static string Json(JsonNode? node) => node is null ? "null" : node.ToJsonString();

    public static int CombineHashes(IEnumerable<FilterNode> children)
    {
        var hash = default(HashCode);
        foreach (var child in children)
        {
            hash.Add(child);
        }

        return hash.ToHashCode();
    }
}
