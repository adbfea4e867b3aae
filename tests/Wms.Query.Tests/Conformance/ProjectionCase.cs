using System.Text.Json.Nodes;

namespace Wms.Query.Tests.Conformance;

/// <summary>One row of projection-cases.json.</summary>
public sealed class ProjectionCase
{
    public const string FileName = "projection-cases.json";

    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> All =
        new(() => ConformanceData.ByName(ConformanceData.Load(FileName)));

    private readonly JsonObject _raw;

    private ProjectionCase(JsonObject raw) => _raw = raw;

    public static IEnumerable<string> Names => All.Value.Keys;

    public bool ExpectError => _raw["error"]?.GetValue<bool>() == true;

    public JsonObject Doc => _raw["doc"]!.DeepClone().AsObject();

    public JsonNode? Projection => _raw["projection"]?.DeepClone();

    public JsonObject? Expect => _raw["expect"]?.DeepClone().AsObject();

    public static ProjectionCase Get(string name) => new(All.Value[name]);
}
