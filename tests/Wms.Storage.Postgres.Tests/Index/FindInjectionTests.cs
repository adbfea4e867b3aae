using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Storage.Postgres.Index;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// Field names and values built to break out of SQL: the translation keeps every one of them out of the SQL text,
/// the answers are still the evaluator's, and nothing in the database changes.
/// </summary>
public sealed class FindInjectionTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    private static readonly string[] Hostile =
    [
        "it's", "x'); DROP TABLE find_scratch; --", "\"; DELETE FROM public.wms_index_taskforce; --",
        "$where: function() { return true; }", "' OR '1'='1", "back\\slash\\", "-- just a comment",
        "/* open comment", "$1 $2 $$ dollar $$", "E'\\x41'", "semi;colon", "quo\"te", "ünï😀code\u2028",
        "); SELECT pg_sleep(10); --", "'::jsonb", "\\'",
    ];

    public static TheoryData<string> Filters => new(
        """{"it's": "x'); DROP TABLE find_scratch; --"}""",
        """{"semi;colon.quo\"te": {"$in": ["' OR '1'='1", "$where: function() { return true; }"]}}""",
        """{"$or": [{"-- just a comment": {"$gt": "/* open comment"}}, {"back\\slash\\": {"$ne": "$1 $2 $$ dollar $$"}}]}""",
        """{"ünï😀code\u2028": {"$not": {"$lte": "E'\\x41'"}}, "'::jsonb": {"$exists": true}}""",
        """{"$nor": [{"it's.\\'": {"$in": ["); SELECT pg_sleep(10); --", {"'::jsonb": "\\'"}]}}]}""",
        """{"\"; DELETE FROM public.wms_index_taskforce; --": ["it's", "x'); DROP TABLE find_scratch; --"]}""");

    [Theory]
    [MemberData(nameof(Filters))]
    public async Task HostileFiltersAreOnlyParameters(string filterJson)
    {
        var filter = FilterParser.Parse(JsonNode.Parse(filterJson)!.AsObject());
        var predicate = JsonbFilterTranslator.Translate(filter);
        var withColumns = JsonbFilterTranslator.Translate(filter, "doc", IndexTable.Taskforce.StringColumns);
        foreach (var text in Hostile)
        {
            Assert.DoesNotContain(text, predicate.Text);
            Assert.DoesNotContain(text, withColumns.Text);
        }
        Assert.DoesNotContain("'", predicate.Text.Replace("'eq'", "").Replace("'in'", "").Replace("'exists'", "")
            .Replace("'gt'", "").Replace("'gte'", "").Replace("'lt'", "").Replace("'lte'", ""));

        // Documents carrying the same names and values, so the filter matches some of them.
        var docs = Documents();
        await database.ResetAsync();
        var tf = Taskforce(Phase.PendingStarter, collector: Hostile[1], schedd: Hostile[2]);
        await database.Index.WriteAsync(Batch(tf));
        var space = await database.LoadAsync(docs);
        var before = await SnapshotAsync();

        var expected = docs.Where(d => FilterEvaluator.Matches(filter, d)).Select(d => d["id"]!.GetValue<string>()).Order().ToList();
        var actual = (await database.MatchAsync(space, filter)).Order().ToList();
        Assert.Equal(expected, actual);
        Assert.NotEmpty(expected);

        // Through the index too, where the columns mirroring fields take part.
        var asTaskforces = await database.Index.FindAsync(ObjectKind.Taskforce, filter, null).ToListAsync();
        var memoryDoc = JsonNode.Parse(WireJson.ToUtf8(tf))!.AsObject();
        Assert.Equal(FilterEvaluator.Matches(filter, memoryDoc) ? 1 : 0, asTaskforces.Count);

        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task HostileTmsLookUpFindsExactlyItsTaskforce()
    {
        await database.ResetAsync();
        var tf = Taskforce(Phase.PendingStarter, collector: Hostile[0], schedd: Hostile[1]);
        var other = Taskforce(Phase.PendingStarter, collector: Hostile[0], schedd: Hostile[4]);
        await database.Index.WriteAsync(Batch(tf, other));
        var before = await SnapshotAsync();

        var filter = FilterParser.Parse(new JsonObject { ["collector"] = Hostile[0], ["schedd"] = Hostile[1] });
        var found = await database.Index.FindAsync(ObjectKind.Taskforce, filter, null).ToListAsync();
        Assert.Equal(tf.TaskforceUuid, Assert.Single(found)["taskforce_uuid"]!.GetValue<string>());
        Assert.Equal(tf.TaskforceUuid, Uuid(await database.Index.NextPendingStarterAsync(Hostile[0], Hostile[1], 2)));
        Assert.Equal(WireJson.ToUtf8(tf), await database.Index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
        Assert.Equal(before, await SnapshotAsync());
    }

    private static List<JsonObject> Documents()
    {
        var docs = new List<JsonObject>();
        for (var i = 0; i < Hostile.Length; i++)
        {
            var doc = new JsonObject { ["id"] = $"h{i}" };
            foreach (var (name, k) in Hostile.Select((h, k) => (h, k)))
            {
                doc[name] = Hostile[(i + k) % Hostile.Length];
            }
            doc["semi;colon"] = new JsonObject { ["quo\"te"] = Hostile[i] };
            doc["it's"] = i % 2 == 0 ? new JsonObject { ["\\'"] = Hostile[i] } : Hostile[i];
            // Hostile[2] holds a dot, so as a filter path it reaches into an object.
            var (head, tail) = (Hostile[2][..Hostile[2].IndexOf('.')], Hostile[2][(Hostile[2].IndexOf('.') + 1)..]);
            doc[head] = new JsonObject { [tail] = new JsonArray(Hostile[i], Hostile[(i + 1) % Hostile.Length]) };
            docs.Add(doc);
        }
        docs.Add(new JsonObject { ["id"] = "empty" });
        return docs;
    }

    // Every table of the database with its rows, as text: any change anywhere shows.
    private async Task<string> SnapshotAsync()
    {
        await using var command = database.DataSource.CreateCommand("""
            SELECT string_agg(format('%s.%s', schemaname, tablename), ',' ORDER BY schemaname, tablename)
                || (SELECT count(*) FROM find_scratch)::text
                || (SELECT coalesce(md5(string_agg(json, ',' ORDER BY id)), '') FROM public.wms_index_taskforce)
                || (SELECT count(*) FROM public.wms_index_workflow)::text
            FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')
            """);
        return (string)(await command.ExecuteScalarAsync())!;
    }
}
