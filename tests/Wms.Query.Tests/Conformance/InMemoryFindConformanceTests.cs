using System.Text.Json.Nodes;

namespace Wms.Query.Tests.Conformance;

/// <summary>Runs the conformance table against <see cref="FilterParser"/> + <see cref="FilterEvaluator"/>.</summary>
public sealed class InMemoryFindConformanceTests : FindConformanceTests
{
    protected override Task<IReadOnlyList<string>> FindIdsAsync(IReadOnlyList<JsonObject> docs, JsonObject filter)
    {
        var parsed = FilterParser.Parse(filter);
        IReadOnlyList<string> ids = Find.Run(docs, parsed, projection: null)
            .Select(doc => doc["id"]!.GetValue<string>())
            .ToArray();
        return Task.FromResult(ids);
    }
}
