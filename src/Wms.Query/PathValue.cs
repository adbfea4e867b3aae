using System.Text.Json.Nodes;

namespace Wms.Query;

/// <summary>
/// One value reachable through a field path, or the marker that the path is missing at some
/// point. <see cref="Node"/> is C# <c>null</c> both for JSON null and for missing; check
/// <see cref="IsMissing"/> to tell them apart.
/// </summary>
internal readonly record struct PathValue(bool IsMissing, JsonNode? Node)
{
    public static PathValue Missing => new(true, null);

    public static PathValue Of(JsonNode? node) => new(false, node);
}
