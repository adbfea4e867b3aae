using System.Text;
using System.Text.Json.Nodes;
using Npgsql;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Storage.Postgres.Index;
using Wms.Testing;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;
using static Wms.Storage.Postgres.Tests.Index.RawSql;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// A database that the build before <c>/v1</c> wrote, migrated by this build: the rows it holds take part in the
/// new polls, launch order and pages as if this build had written them.
/// </summary>
public sealed class IndexUpgradeTests
{
    private const string FirstV1Migration = "0104";

    // The upserts of the previous IndexRow, reduced to one row each: the columns that schema had, and no others.
    private const string OldTaskforceRow = """
        INSERT INTO public.wms_index_taskforce
            (id, revision, json, doc, workflow_id, collector, schedd, phase, priority, submit_failures, rm_failures,
             has_cluster_id, timestamp)
        VALUES ($1, 1, $2, $2::jsonb, $3, $4, $5, $6, $7, 0, 0, false, $8)
        """;

    private const string OldDirectiveRow = """
        INSERT INTO public.wms_index_task_directive (id, revision, json, doc, workflow_id)
        VALUES ($1, 1, $2, $2::jsonb, $3)
        """;

    [Fact]
    public async Task RowsWrittenBeforeTakePartInTheV1ReadsOnceMigrated()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("wms_index_upgrade");
        var previous = new SchemaMigrator(SchemaMigrator.EmbeddedMigrations()
            .Where(m => string.CompareOrdinal(m.Version, FirstV1Migration) < 0)
            .Select(m => ($"{m.Id}.sql", m.Sql)));
        Assert.DoesNotContain(previous.Migrations, m => m.Version == FirstV1Migration);
        await previous.MigrateAsync(connectionString);

        // Timestamps whose text a careless conversion would round: the shortest digits of a sum, an exponent, a
        // fraction the size of today's epoch seconds.
        double[] stamps = [0.1 + 0.2, 1e-7, 1_700_000_000.123456, 1_700_000_000.123456];
        var wf = Workflow();
        var directives = stamps.Select((t, i) => Directive(wf.WorkflowId, t, $"TK-old-{i}")).ToArray();
        var oldStarter = Taskforce(Phase.PendingStarter, "COLLECTOR1", "SCHEDD1", priority: 99, timestamp: 5, uuid: "TF-old-1");
        var oldLaunch = Taskforce(Phase.PreLaunch, priority: 99, timestamp: 5, uuid: "TF-old-2");
        await using (var dataSource = NpgsqlDataSource.Create(connectionString))
        {
            foreach (var td in directives)
            {
                await ExecuteAsync(dataSource, OldDirectiveRow, td.TaskId, OldShape(WireJson.ToUtf8(td), "task_env", "init_image",
                    "init_args", "init_env"), td.WorkflowId);
            }
            foreach (var tf in new[] { oldStarter, oldLaunch })
            {
                await ExecuteAsync(dataSource, OldTaskforceRow, tf.TaskforceUuid, OldShape(WireJson.ToUtf8(tf), "priority"),
                    tf.WorkflowId, tf.Collector, tf.Schedd, tf.Phase, tf.WorkerConfig.Priority, tf.Timestamp);
            }
        }

        var applied = await new SchemaMigrator().MigrateAsync(connectionString);
        Assert.Equal($"{FirstV1Migration}_index_v1_polls_and_pages", applied[0]);

        await using var source = IndexDataSource.Create(connectionString);
        await using (var check = source.CreateCommand("SELECT id, timestamp FROM public.wms_index_task_directive ORDER BY id"))
        await using (var reader = await check.ExecuteReaderAsync())
        {
            var backfilled = new List<(string, double)>();
            while (await reader.ReadAsync())
            {
                backfilled.Add((reader.GetString(0), reader.GetDouble(1)));
            }
            Assert.Equal(directives.Select(d => (d.TaskId, d.Timestamp)), backfilled);
        }
        await using (var check = source.CreateCommand("SELECT DISTINCT tf_priority FROM public.wms_index_taskforce"))
        {
            Assert.Equal(Priorities.Unrecorded, (int)(await check.ExecuteScalarAsync())!);
        }

        await using var index = new PostgresObjectIndex(source);
        // Pages of the old directives, cut after each: positions exactly as the documents held them.
        var positions = new List<FindPosition>();
        FindPosition? at = null;
        while (await index.FindPageAsync(ObjectKind.TaskDirective, MatchAllNode.Instance, null, at).FirstOrDefaultAsync() is { } next)
        {
            Assert.True(positions.Count < directives.Length, "the pages never end");
            positions.Add(next.Position);
            at = next.Position;
        }
        Assert.Equal(directives.Select(d => new FindPosition(d.Timestamp, d.TaskId)).OrderBy(p => p.Timestamp)
            .ThenBy(p => p.Id, StringComparer.Ordinal), positions);

        // The old taskforces compete at the priority a /v0 taskforce reads back with.
        var below = Taskforce(Phase.PendingStarter, "COLLECTOR2", "SCHEDD1", timestamp: 1, taskforcePriority: Priorities.Unrecorded - 1);
        var launchBelow = Taskforce(Phase.PreLaunch, priority: 100, timestamp: 1, taskforcePriority: Priorities.Unrecorded - 1);
        await index.WriteAsync(Batch(below, launchBelow));
        Assert.Equal(oldStarter.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync("SCHEDD1", 2)));
        Assert.Equal([oldLaunch.TaskforceUuid, launchBelow.TaskforceUuid], await index.LaunchCandidatesAsync(10));
        var above = Taskforce(Phase.PendingStarter, "COLLECTOR2", "SCHEDD1", timestamp: 9, taskforcePriority: Priorities.DefaultV1);
        await index.WriteAsync(Batch(above));
        Assert.Equal(above.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync("SCHEDD1", 2)));
        // And a later write of an old row keeps what it carries.
        await index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(oldStarter with { Priority = 80 }, 2)));
        Assert.Equal(oldStarter.TaskforceUuid, Uuid(await index.NextPendingStarterAtScheddAsync("SCHEDD1", 2)));
        // The census counts rows from before its index carried the phase.
        Assert.Equal(new Dictionary<string, long> { [Phase.PendingStarter] = 3, [Phase.PreLaunch] = 2 },
            await index.CountTaskforcesByPhaseAsync());
    }

    [Fact]
    public async Task ClusterIdsOfRowsWrittenBeforeAndAfterAreFoundThroughTheirColumn()
    {
        var server = await PostgresServer.SharedAsync();
        var connectionString = await server.CreateDatabaseAsync("wms_index_cluster_upgrade");
        var previous = new SchemaMigrator(SchemaMigrator.EmbeddedMigrations()
            .Where(m => string.CompareOrdinal(m.Version, "0105") < 0)
            .Select(m => ($"{m.Id}.sql", m.Sql)));
        await previous.MigrateAsync(connectionString);
        var before = Taskforce(Phase.CondorSubmit, "COLLECTOR1", "SCHEDD1", timestamp: 1, clusterId: 9_007_199_254_740_993);
        var unsubmitted = Taskforce(Phase.PendingStarter, "COLLECTOR1", "SCHEDD1", timestamp: 2);
        await using (var old = IndexDataSource.Create(connectionString))
        {
            await using var oldIndex = new PostgresObjectIndex(old);
            await oldIndex.WriteAsync(Batch(before, unsubmitted));
        }

        Assert.Equal("0105_index_taskforce_cluster", (await new SchemaMigrator().MigrateAsync(connectionString))[0]);

        await using var source = IndexDataSource.Create(connectionString);
        await using var index = new PostgresObjectIndex(source);
        // A silo of the version before writes on without knowing of the column; the database fills it all the same.
        var after = Taskforce(Phase.CondorSubmit, "COLLECTOR1", "SCHEDD1", timestamp: 3, clusterId: 7);
        await ExecuteAsync(source, OldTaskforceRow, after.TaskforceUuid, Encoding.UTF8.GetString(WireJson.ToUtf8(after)),
            after.WorkflowId, after.Collector, after.Schedd, after.Phase, after.WorkerConfig.Priority, after.Timestamp);
        await using (var check = source.CreateCommand("SELECT id, cluster_id FROM public.wms_index_taskforce ORDER BY timestamp"))
        await using (var reader = await check.ExecuteReaderAsync())
        {
            var columns = new List<(string, long?)>();
            while (await reader.ReadAsync())
            {
                columns.Add((reader.GetString(0), reader.IsDBNull(1) ? null : reader.GetInt64(1)));
            }
            Assert.Equal([(before.TaskforceUuid, 9_007_199_254_740_993L), (unsubmitted.TaskforceUuid, null), (after.TaskforceUuid, 7L)],
                columns);
        }
        foreach (var (filter, expected) in new[]
        {
            ("""{"schedd": "SCHEDD1", "cluster_id": 9007199254740993}""", before.TaskforceUuid),
            ("""{"schedd": "SCHEDD1", "cluster_id": 7.0}""", after.TaskforceUuid),
            ("""{"cluster_id": {"$eq": 7}}""", after.TaskforceUuid),
        })
        {
            var found = await index.FindAsync(ObjectKind.Taskforce, FilterParser.Parse(JsonNode.Parse(filter)!.AsObject()), null)
                .ToListAsync();
            Assert.Equal(expected, Assert.Single(found)["taskforce_uuid"]!.GetValue<string>());
        }
        var notSeven = await index.FindAsync(ObjectKind.Taskforce,
            FilterParser.Parse(JsonNode.Parse("""{"$nor": [{"cluster_id": 7}]}""")!.AsObject()), null).ToListAsync();
        Assert.Equal(new[] { before.TaskforceUuid, unsubmitted.TaskforceUuid }.Order(StringComparer.Ordinal),
            notSeven.Select(t => t["taskforce_uuid"]!.GetValue<string>()).Order(StringComparer.Ordinal));
    }

    /// <summary>A document's wire JSON as the build before wrote it: without the members it did not have.</summary>
    private static string OldShape(byte[] json, params string[] newMembers)
    {
        var document = JsonNode.Parse(json)!.AsObject();
        foreach (var member in newMembers)
        {
            Assert.True(document.Remove(member), $"the document has no {member}");
        }
        return document.ToJsonString();
    }
}
