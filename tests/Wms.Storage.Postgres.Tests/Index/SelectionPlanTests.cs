using System.Diagnostics;
using System.Text.Json.Nodes;
using Npgsql;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Storage.Postgres.Index;
using Xunit.Abstractions;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// With 20,000 taskforces over 200 schedds, the TMS polls, the loops' queues and the TMS's find are answered from
/// an index on their own slice, never by reading every taskforce.
/// </summary>
public sealed class SelectionPlanTests(IndexDatabase database, ITestOutputHelper output) : IClassFixture<IndexDatabase>
{
    private const int Schedds = 200;
    private const int PerSchedd = 100;

    [Fact]
    public async Task SelectionsUseTheirIndexes()
    {
        await database.ResetAsync();
        var clock = Stopwatch.StartNew();
        for (var s = 0; s < Schedds; s++)
        {
            var taskforces = Enumerable.Range(0, PerSchedd).Select(i => Taskforce(
                (i % 20) switch
                {
                    0 or 1 => Phase.PendingStarter,
                    2 => Phase.PendingStopper,
                    3 when s % 10 == 0 => Phase.PreLaunch,
                    _ => Phase.CondorSubmit,
                },
                collector: $"collector-{s % 7}", schedd: $"schedd-{s}", priority: i % 4, timestamp: i,
                clusterId: i % 3 == 0 ? null : i, submitFailures: i % 4, taskforcePriority: 10 * (i % 3)) with
            {
                JobEventLogFpath = $"/scratch/jel/{s}-{i % 5}.log",
            });
            var workflows = Enumerable.Range(0, 25).Select(i => Workflow(priority: i % 3, timestamp: i,
                activatedAt: i % 20 == 0 ? null : 5)).ToList();
            await database.Index.WriteAsync(new IndexBatch
            {
                Taskforces = [.. taskforces.Select(t => new Versioned<TaskforceDocument>(t, 1))],
                Workflows = [.. workflows.Select(w => new Versioned<WorkflowDocument>(w, 1))],
                TaskDirectives = [.. workflows.Select(w => new Versioned<TaskDirectiveDocument>(Directive(w.WorkflowId, w.Timestamp), 1))],
            });
        }
        output.WriteLine($"wrote {Schedds * PerSchedd} taskforces in {clock.ElapsedMilliseconds} ms");
        await database.ExecuteAsync("ANALYZE");

        var starter = await PlanAsync(GroupedReads.StarterStatement, Poll("collector-3", "schedd-10", 2));
        Assert.Contains("wms_index_taskforce_starter", starter);
        Assert.DoesNotContain("Seq Scan", starter);
        var stopper = await PlanAsync(GroupedReads.StopperStatement, Poll("collector-3", "schedd-10", 2));
        Assert.Contains("wms_index_taskforce_stopper", stopper);
        Assert.Contains("rm_failures <= ", stopper.Split("Index Cond:").Last());
        Assert.DoesNotContain("Seq Scan", stopper);
        var scheddStarter = await PlanAsync(GroupedReads.ScheddStarterStatement, ScheddPoll("schedd-10", 2));
        Assert.Contains("wms_index_taskforce_schedd_starter", scheddStarter);
        Assert.DoesNotContain("Seq Scan", scheddStarter);
        Assert.DoesNotContain("Sort", scheddStarter);
        var scheddStopper = await PlanAsync(GroupedReads.ScheddStopperStatement, ScheddPoll("schedd-10", 2));
        Assert.Contains("wms_index_taskforce_schedd_stopper", scheddStopper);
        Assert.Contains("rm_failures <= ", scheddStopper.Split("Index Cond:").Last());
        Assert.DoesNotContain("Seq Scan", scheddStopper);
        Assert.DoesNotContain("Sort", scheddStopper);
        var launch = await PlanAsync(PostgresObjectIndex.Launch, Int(10));
        Assert.Contains("wms_index_taskforce_launch", launch);
        Assert.DoesNotContain("Seq Scan", launch);
        Assert.DoesNotContain("Sort", launch);
        var activation = await PlanAsync(PostgresObjectIndex.Activation, new NpgsqlParameter<double> { TypedValue = 1e12 }, Int(10));
        Assert.Contains("wms_index_workflow_activation", activation);
        Assert.DoesNotContain("Seq Scan", activation);

        // The TMS's look-up by location and event log.
        var filter = FilterParser.Parse(JsonNode.Parse("""
            {"collector": "collector-3", "schedd": "schedd-10", "job_event_log_fpath": "/scratch/jel/10-1.log"}
            """)!.AsObject());
        var predicate = JsonbFilterTranslator.Translate(filter, "doc", IndexTable.Taskforce.StringColumns);
        var find = await PlanAsync($"SELECT json FROM {IndexTable.Taskforce.Name} WHERE {predicate.Text}", [.. predicate.Parameters]);
        Assert.Contains("wms_index_taskforce_", find);
        Assert.DoesNotContain("Seq Scan", find);
        Assert.Equal(PerSchedd / 5, (await database.Index.FindAsync(ObjectKind.Taskforce, filter, null).ToListAsync()).Count);

        // The /v1 TMS's watcher: the taskforce of one cluster in an event log, by schedd alone (migration 0105).
        var watcher = FilterParser.Parse(JsonNode.Parse("""
            {"schedd": "schedd-10", "job_event_log_fpath": "/scratch/jel/10-1.log", "cluster_id": 16}
            """)!.AsObject());
        var watcherPredicate = JsonbFilterTranslator.Translate(watcher, "doc", IndexTable.Taskforce.StringColumns,
            integerColumns: IndexTable.Taskforce.IntegerColumns);
        var watcherPlan = await PlanAsync($"SELECT json FROM {IndexTable.Taskforce.Name} WHERE {watcherPredicate.Text}",
            [.. watcherPredicate.Parameters]);
        Assert.Contains("wms_index_taskforce_cluster", watcherPlan);
        Assert.DoesNotContain("Seq Scan", watcherPlan);
        var watched = await database.Index.FindAsync(ObjectKind.Taskforce, watcher, null).ToListAsync();
        var only = Assert.Single(watched);
        Assert.Equal(16, only["cluster_id"]!.GetValue<long>());
        Assert.Equal("schedd-10", only["schedd"]!.GetValue<string>());

        // Each chunk of a page, first or later, reads on along its kind's page index from where it starts.
        await using (var findSource = IndexDataSource.CreateForFinds(database.ConnectionString))
        {
            foreach (var table in new[] { IndexTable.Taskforce, IndexTable.Workflow, IndexTable.TaskDirective })
            {
                var first = await PlanAsync(findSource, PostgresObjectIndex.PageStatement(table, "true", resumes: false), Int(256));
                var later = await PlanAsync(findSource, PostgresObjectIndex.PageStatement(table, "true", resumes: true),
                    new NpgsqlParameter<double> { TypedValue = 40 }, new NpgsqlParameter<string> { TypedValue = "TF-" }, Int(256));
                foreach (var plan in new[] { first, later })
                {
                    Assert.Contains($"{table.Name.Replace("public.", "")}_page", plan);
                    Assert.DoesNotContain("Sort", plan);
                    Assert.DoesNotContain("Seq Scan", plan);
                }
                Assert.Contains("Index Cond: (ROW(", later);
            }
        }

        // The census reads the phases from the workflow index, not the table, once vacuum has marked its pages.
        await database.ExecuteAsync("VACUUM ANALYZE public.wms_index_taskforce");
        var census = await PlanAsync(PostgresObjectIndex.PhaseCounts);
        Assert.Contains("Index Only Scan using wms_index_taskforce_workflow", census);

        // For the record: what a poll costs here.
        clock.Restart();
        for (var i = 0; i < 100; i++)
        {
            Assert.NotNull(await database.Index.NextPendingStarterAsync($"collector-{i % 7}", $"schedd-{i}", 2));
        }
        output.WriteLine($"100 pending-starter polls: {clock.ElapsedMilliseconds} ms\n{starter}\n{stopper}");
    }

    /// <summary>
    /// Phases move faster than PostgreSQL refreshes its statistics, and taskforces that passed through a phase leave
    /// dead entries in its index until vacuum: a schedd that had nothing waiting when the statistics were taken may
    /// have hundreds of taskforces waiting a minute later. The polls must still read their own index, not every
    /// waiting taskforce of the schedd to sort them.
    /// </summary>
    [Fact]
    public async Task PollsKeepTheirIndexesWhenStatisticsAreStale()
    {
        await database.ResetAsync();
        const int Many = 20_000;
        Versioned<TaskforceDocument> At(int i, string phase, long revision) => new(Taskforce(phase,
            collector: "collector-0", schedd: $"schedd-{i % 4}", priority: i % 4, timestamp: i, clusterId: i,
            uuid: $"TF-{i}", workflowId: "WF-1"), revision);
        // Many taskforces pass through pending-starter to pending-stopper, and the statistics are taken then.
        foreach (var (phase, revision) in new[] { (Phase.PendingStarter, 1L), (Phase.CondorSubmit, 2L) })
        {
            foreach (var chunk in Enumerable.Range(0, Many).Chunk(2_000))
            {
                await database.Index.WriteAsync(new IndexBatch { Taskforces = [.. chunk.Select(i => At(i, phase, revision))] });
            }
        }
        await database.ExecuteAsync("ANALYZE");
        // Then one schedd's taskforces come back, hundreds at once, to be started or stopped.
        await database.Index.WriteAsync(new IndexBatch
        {
            Taskforces = [.. Enumerable.Range(0, 1_200).Where(i => i % 4 == 3)
                .Select(i => At(i, i % 8 == 3 ? Phase.PendingStarter : Phase.PendingStopper, 3))],
        });

        var starter = await PlanAsync(GroupedReads.StarterStatement, Poll("collector-0", "schedd-3", 2));
        Assert.Contains("wms_index_taskforce_starter", starter);
        Assert.DoesNotContain("Sort", starter);
        var stopper = await PlanAsync(GroupedReads.StopperStatement, Poll("collector-0", "schedd-3", 2));
        Assert.Contains("wms_index_taskforce_stopper", stopper);
        Assert.DoesNotContain("Sort", stopper);
        var scheddStarter = await PlanAsync(GroupedReads.ScheddStarterStatement, ScheddPoll("schedd-3", 2));
        Assert.Contains("wms_index_taskforce_schedd_starter", scheddStarter);
        Assert.DoesNotContain("Sort", scheddStarter);
        var scheddStopper = await PlanAsync(GroupedReads.ScheddStopperStatement, ScheddPoll("schedd-3", 2));
        Assert.Contains("wms_index_taskforce_schedd_stopper", scheddStopper);
        Assert.DoesNotContain("Sort", scheddStopper);
    }

    private Task<string> PlanAsync(string sql, params NpgsqlParameter[] parameters) =>
        PlanAsync(database.DataSource, sql, parameters);

    private static async Task<string> PlanAsync(NpgsqlDataSource dataSource, string sql, params NpgsqlParameter[] parameters)
    {
        await using var command = dataSource.CreateCommand("EXPLAIN (COSTS OFF) " + sql);
        command.Parameters.AddRange(parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var lines = new List<string>();
        while (await reader.ReadAsync())
        {
            lines.Add(reader.GetString(0));
        }
        return string.Join('\n', lines);
    }

    /// <summary>The parameters of a grouped poll, as a group of one (polls of several schedds at once in a test below).</summary>
    private static NpgsqlParameter[] Poll(string collector, string schedd, int maxFailures) =>
    [
        new NpgsqlParameter<string[]> { TypedValue = [collector] },
        new NpgsqlParameter<string[]> { TypedValue = [schedd] },
        new NpgsqlParameter<int[]> { TypedValue = [maxFailures] },
    ];

    /// <summary>The parameters of a grouped <c>/v1</c> poll, as a group of one.</summary>
    private static NpgsqlParameter[] ScheddPoll(string schedd, int maxFailures) =>
    [
        new NpgsqlParameter<string[]> { TypedValue = [schedd] },
        new NpgsqlParameter<int[]> { TypedValue = [maxFailures] },
    ];

    private static NpgsqlParameter<int> Int(int value) => new NpgsqlParameter<int> { TypedValue = value };
}
