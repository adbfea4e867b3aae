using System.Text.Json.Nodes;
using Wms.Query;
using Wms.Query.Tests.Conformance;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>The shared find conformance table, run through the SQL translation; each case gets its own space.</summary>
public sealed class PostgresFindConformanceTests(IndexDatabase database)
    : FindConformanceTests, IClassFixture<IndexDatabase>
{
    protected override async Task<IReadOnlyList<string>> FindIdsAsync(IReadOnlyList<JsonObject> docs, JsonObject filter)
    {
        // Parsing first: a rejected filter must fail before anything is stored or run.
        var parsed = FilterParser.Parse(filter);
        var space = await database.LoadAsync(docs);
        return await database.MatchAsync(space, parsed);
    }
}
