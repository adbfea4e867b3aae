using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Query;
using Wms.Storage.Memory;
using Wms.Storage.Postgres.Index;
using Wms.Testing;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;
using static Wms.Storage.Postgres.Tests.Index.RawSql;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// The index keeps each workflow's creator beside its document (migration 0109): finds narrowed to one creator, or
/// to the workflows made with authentication off, answer in PostgreSQL as in memory, whole and in pages, with the
/// id ranges the web view's id box sends; and rows written before the column existed take their creator from the
/// creation entries of their taskforces' logs.
/// </summary>
public sealed class CreatorIndexTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    private static readonly string?[] Subjects = ["alice", "bob", "carol (admin)", null];

    [Fact]
    public async Task FindsOfOneCreatorAnswerLikeTheMemoryIndex()
    {
        await database.ResetAsync();
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var memory = new MemoryObjectIndex();
        // Small chunks, so that pages resume with the creator's parameter after the position's.
        await using var postgres = new PostgresObjectIndex(database.DataSource, 500, 2, pageChunkRows: 7);

        // Ids from a tiny alphabet, so that id prefixes select a few of many; the creator never changes.
        var creators = new Dictionary<string, string?>();
        while (creators.Count < 120)
        {
            creators[$"WF-{Hex(random, 2)}-{Hex(random, 4)}"] = Subjects[random.Next(Subjects.Length)];
        }
        var writes = creators.Keys
            .SelectMany(id => Enumerable.Range(1, 1 + random.Next(3)).Select(revision => IndexBatch.Of(
                new Versioned<WorkflowDocument>(Workflow(timestamp: random.Next(4), id: id,
                    deactivated: random.Next(3) == 0 ? Deactivation.Aborted : null), random.Next(1, 4)),
                creators[id])))
            .OrderBy(_ => random.Next())
            .ToList();
        for (var i = 0; i < writes.Count;)
        {
            var size = 1 + random.Next(10);
            var group = writes.Skip(i).Take(size).ToList();
            var batch = new IndexBatch
            {
                Workflows = [.. group.SelectMany(b => b.Workflows)],
                Creators = group.SelectMany(b => b.Creators).DistinctBy(kv => kv.Key).ToDictionary(),
            };
            i += size;
            await memory.WriteAsync(batch);
            await postgres.WriteAsync(batch);
        }

        var context = $"seed {seed}";
        var scopes = Subjects.Select(s => new Creator(s)).Append(null).Append(new Creator("nobody")).ToList();
        var filters = new List<JsonObject> { new(), Parse("""{"deactivated": null}""") };
        filters.AddRange(Enumerable.Range(0, 8).Select(_ => IdStartsWith("WF-" + Hex(random, 1 + random.Next(2)))));
        filters.Add(IdStartsWith("WF-"));
        foreach (var createdBy in scopes)
        {
            foreach (var json in filters)
            {
                var filter = FilterParser.Parse(json);
                var where = $"{context}: {createdBy} {json.ToJsonString()}";
                var expected = (await memory.FindAsync(ObjectKind.Workflow, filter, null, createdBy).ToListAsync())
                    .Select(Id).ToHashSet();
                var actual = (await postgres.FindAsync(ObjectKind.Workflow, filter, null, createdBy).ToListAsync())
                    .Select(Id).ToHashSet();
                Assert.True(expected.SetEquals(actual),
                    $"{where}: {expected.Count} in memory, {actual.Count} in PostgreSQL");
                // Not only alike: exactly the creator's own, as written.
                Assert.All(expected, id => Assert.True(createdBy is null || creators[id] == createdBy.Subject, where));
                if (createdBy is not null && json.Count == 0)
                {
                    Assert.Equal(creators.Count(c => c.Value == createdBy.Subject), expected.Count);
                }

                var memoryPage = await Page(memory.FindPageAsync(ObjectKind.Workflow, filter, null, null, createdBy));
                Assert.Equal(memoryPage, await Page(postgres.FindPageAsync(ObjectKind.Workflow, filter, null, null, createdBy)));
                Assert.True(memoryPage.Select(p => p.Position.Id).ToHashSet().SetEquals(expected), $"page is not the find: {where}");
                if (memoryPage.Count > 0)
                {
                    var from = memoryPage[random.Next(memoryPage.Count)].Position;
                    Assert.Equal(await Page(memory.FindPageAsync(ObjectKind.Workflow, filter, null, from, createdBy)),
                        await Page(postgres.FindPageAsync(ObjectKind.Workflow, filter, null, from, createdBy)));
                }
            }
        }
        // The documents do not show who made them.
        Assert.All(await postgres.FindAsync(ObjectKind.Workflow, MatchAllNode.Instance, null).ToListAsync(),
            w => Assert.Equal(
                ["workflow_id", "timestamp", "priority", "mq_activated_ts", "deactivated", "deactivated_ts"],
                w.Select(m => m.Key)));
    }

    [Fact]
    public async Task OnlyWorkflowsHaveACreator()
    {
        var memory = new MemoryObjectIndex();
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await memory.FindAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null, new Creator("alice")).ToListAsync());
        await Assert.ThrowsAsync<ArgumentException>(async () =>
            await database.Index.FindPageAsync(ObjectKind.TaskDirective, MatchAllNode.Instance, null, null,
                new Creator(null)).ToListAsync());
    }

    [Fact]
    public async Task RowsWrittenBeforeTakeTheirCreatorFromTheCreationLog()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("wms_index_creator_upgrade");
        await new SchemaMigrator(SchemaMigrator.EmbeddedMigrations()
            .Where(m => string.CompareOrdinal(m.Version, "0109") < 0)
            .Select(m => ($"{m.Id}.sql", m.Sql))).MigrateAsync(connectionString);

        // Through /v0 by a subject with parentheses in it; through /v1 by bob, whose workflow later got workers
        // added by the TMS (an older timestamp, so it would come first if it counted); with authentication off.
        var byAlice = Workflow(timestamp: 1);
        var byBob = Workflow(timestamp: 2);
        var unknown = Workflow(timestamp: 3);
        var taskforces = new[]
        {
            Created(byAlice, PhaseLog.Creation(ApiGeneration.V0, "alice (admin)"), 1),
            Created(byAlice, PhaseLog.Creation(ApiGeneration.V0, "alice (admin)"), 1),
            Created(byBob, PhaseLog.AddWorkers(ApiGeneration.V1, "tms-sub-2", callerIsTms: true), 0.5),
            Created(byBob, PhaseLog.Creation(ApiGeneration.V1, "bob"), 2),
            Created(unknown, PhaseLog.Creation(ApiGeneration.V0, null), 3),
            Created(unknown, PhaseLog.AddWorkers(ApiGeneration.V0, "dave"), 4),
        };
        await using (var old = NpgsqlDataSource.Create(connectionString))
        {
            foreach (var wf in new[] { byAlice, byBob, unknown })
            {
                await ExecuteAsync(old, """
                    INSERT INTO public.wms_index_workflow (id, revision, json, doc, awaiting, priority, timestamp)
                    VALUES ($1, 1, $2, $2::jsonb, false, 10, $3)
                    """, wf.WorkflowId, Encoding.UTF8.GetString(WireJson.ToUtf8(wf)), wf.Timestamp);
            }
            foreach (var tf in taskforces)
            {
                await ExecuteAsync(old, """
                    INSERT INTO public.wms_index_taskforce
                        (id, revision, json, doc, workflow_id, collector, schedd, phase, priority, submit_failures,
                         rm_failures, has_cluster_id, timestamp)
                    VALUES ($1, 1, $2, $2::jsonb, $3, 'COLLECTOR1', 'SCHEDD1', 'pre-mq-activation', 10, 0, 0, false, $4)
                    """, tf.TaskforceUuid, Encoding.UTF8.GetString(WireJson.ToUtf8(tf)), tf.WorkflowId, tf.Timestamp);
            }
        }

        Assert.Equal("0109_index_workflow_creator", (await new SchemaMigrator().MigrateAsync(connectionString))[0]);

        await using var source = IndexDataSource.Create(connectionString);
        await using var index = new PostgresObjectIndex(source);
        Assert.Equal([byAlice.WorkflowId], await IdsAsync(index, new Creator("alice (admin)")));
        Assert.Equal([byBob.WorkflowId], await IdsAsync(index, new Creator("bob")));
        Assert.Equal([unknown.WorkflowId], await IdsAsync(index, new Creator(null)));
        Assert.Empty(await IdsAsync(index, new Creator("tms-sub-2")));
        Assert.Empty(await IdsAsync(index, new Creator("dave")));

        // A later write of an old row by this build says who made it, as the grain knows.
        await index.WriteAsync(IndexBatch.Of(new Versioned<WorkflowDocument>(byBob with { Priority = 50 }, 2), "bob"));
        Assert.Equal([byBob.WorkflowId], await IdsAsync(index, new Creator("bob")));
    }

    private static TaskforceDocument Created(WorkflowDocument workflow, LogAuthor author, double timestamp) =>
        Taskforce(Phase.PreMqActivation, timestamp: timestamp, workflowId: workflow.WorkflowId) with
        {
            PhaseChangeLog = [PhaseLog.Entry(Phase.PreMqActivation, timestamp, true, author.SourceEntity, author.Description)],
        };

    private static async Task<List<string>> IdsAsync(PostgresObjectIndex index, Creator createdBy) =>
        [.. (await index.FindPageAsync(ObjectKind.Workflow, MatchAllNode.Instance, null, null, createdBy).ToListAsync())
            .Select(f => f.Position.Id)];

    /// <summary>The filter the web view's id box sends: the ids from the prefix up to the prefix and "~".</summary>
    private static JsonObject IdStartsWith(string prefix) => new()
    {
        ["workflow_id"] = new JsonObject { ["$gte"] = prefix, ["$lt"] = prefix + "~" },
    };

    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    private static string Hex(Random random, int digits) =>
        new([.. Enumerable.Range(0, digits).Select(_ => "0a9f"[random.Next(4)])]);

    private static string Id(JsonObject workflow) => workflow["workflow_id"]!.GetValue<string>();

    private static async Task<List<(FindPosition Position, string Json)>> Page(IAsyncEnumerable<FoundObject> found) =>
        [.. (await found.ToListAsync()).Select(f => (f.Position, f.Document.ToJsonString()))];
}
