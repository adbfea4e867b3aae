using System.Text.Json.Nodes;

namespace Wms.Query.Tests.Conformance;

/// <summary>One row of find-cases.json.</summary>
public sealed class FindCase
{
    public const string FileName = "find-cases.json";

    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> All =
        new(() => ConformanceData.ByName(ConformanceData.Load(FileName)));

    private readonly JsonObject _raw;

    private FindCase(JsonObject raw) => _raw = raw;

    public static IEnumerable<string> Names => All.Value.Keys;

    public string Name => _raw["name"]!.GetValue<string>();

    public bool ExpectError => _raw["error"]?.GetValue<bool>() == true;

    public IReadOnlyList<string> Expect =>
        _raw["expect"]?.AsArray().Select(id => id!.GetValue<string>()).ToArray() ?? [];

    /// <summary>Fresh copies, so an engine may keep or modify what it is given.</summary>
    public IReadOnlyList<JsonObject> Docs => _raw["docs"]!.AsArray().Select(d => d!.DeepClone().AsObject()).ToArray();

    public JsonObject Filter => _raw["filter"]!.DeepClone().AsObject();

    public static FindCase Get(string name) => new(All.Value[name]);
}
