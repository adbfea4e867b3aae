using System.Globalization;
using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Storage.Memory;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>
/// The same random history of writes (out-of-order revisions included) goes to the memory index and to this one;
/// afterwards every selection (the /v0 and /v1 polls alike) and a few hundred finds over the real document shapes,
/// whole or in pages, must answer identically.
/// Selection keys are drawn from tiny pools so that ties, the retry limits and the uuid tie-break all matter.
/// </summary>
public sealed class IndexParityTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    private static readonly string[] Collectors = ["COLLECTOR1", "COLLECTOR2"];
    private static readonly string[] Schedds = ["SCHEDD1", "SCHEDD2", "sched'd \"3\""];

    [Fact]
    public async Task AnswersLikeTheMemoryIndex()
    {
        await database.ResetAsync();
        var seed = Random.Shared.Next();
        var random = new Random(seed);
        var memory = new MemoryObjectIndex();
        var postgres = database.Index;

        var taskforces = Enumerable.Range(0, 300).Select(_ => RandomTaskforce(random)).ToList();
        var workflows = Enumerable.Range(0, 80).Select(_ => RandomWorkflow(random)).ToList();
        var directives = workflows.Select(w => RandomDirective(random, w.WorkflowId)).ToList();

        // Each object gets 1-3 versions at random revisions, written in random order and random batches.
        var writes = new List<IndexBatch>();
        foreach (var tf in taskforces)
        {
            foreach (var revision in Revisions(random))
            {
                writes.Add(IndexBatch.Of(new Versioned<TaskforceDocument>(Mutate(random, tf), revision)));
            }
        }
        foreach (var wf in workflows)
        {
            foreach (var revision in Revisions(random))
            {
                writes.Add(IndexBatch.Of(new Versioned<WorkflowDocument>(RandomWorkflow(random) with { WorkflowId = wf.WorkflowId }, revision)));
            }
        }
        foreach (var td in directives)
        {
            foreach (var revision in Revisions(random))
            {
                writes.Add(new IndexBatch
                {
                    TaskDirectives = [new(RandomDirective(random, td.WorkflowId, td.TaskId), revision)],
                });
            }
        }
        var shuffled = writes.OrderBy(_ => random.Next()).ToList();
        for (var i = 0; i < shuffled.Count;)
        {
            var size = 1 + random.Next(20);
            var batch = new IndexBatch
            {
                Workflows = [.. shuffled.Skip(i).Take(size).SelectMany(b => b.Workflows)],
                TaskDirectives = [.. shuffled.Skip(i).Take(size).SelectMany(b => b.TaskDirectives)],
                Taskforces = [.. shuffled.Skip(i).Take(size).SelectMany(b => b.Taskforces)],
            };
            i += size;
            await memory.WriteAsync(batch);
            await postgres.WriteAsync(batch);
        }

        var context = $"seed {seed}";
        foreach (var collector in Collectors.Append("nobody"))
        {
            foreach (var schedd in Schedds)
            {
                foreach (var maxFailures in new[] { -1, 0, 1, 2, 3, 5 })
                {
                    var where = $"{context}, {collector}/{schedd}/{maxFailures}";
                    Assert.True(Same(await memory.NextPendingStarterAsync(collector, schedd, maxFailures),
                        await postgres.NextPendingStarterAsync(collector, schedd, maxFailures)), $"starter differs: {where}");
                    Assert.True(Same(await memory.NextPendingStopperAsync(collector, schedd, maxFailures),
                        await postgres.NextPendingStopperAsync(collector, schedd, maxFailures)), $"stopper differs: {where}");
                }
            }
        }
        foreach (var schedd in Schedds.Append("nobody"))
        {
            foreach (var maxFailures in new[] { -1, 0, 1, 2, 3, 5 })
            {
                var where = $"{context}, {schedd}/{maxFailures}";
                Assert.True(Same(await memory.NextPendingStarterAtScheddAsync(schedd, maxFailures),
                    await postgres.NextPendingStarterAtScheddAsync(schedd, maxFailures)), $"/v1 starter differs: {where}");
                Assert.True(Same(await memory.NextPendingStopperAtScheddAsync(schedd, maxFailures),
                    await postgres.NextPendingStopperAtScheddAsync(schedd, maxFailures)), $"/v1 stopper differs: {where}");
            }
        }
        foreach (var limit in new[] { 1, 3, 1000 })
        {
            Assert.True((await memory.LaunchCandidatesAsync(limit)).SequenceEqual(await postgres.LaunchCandidatesAsync(limit)),
                $"launch order differs: {context}, limit {limit}");
            foreach (var now in new[] { 0, 49.5, 50, 100, 149.99, 150, 1e9 })
            {
                Assert.True((await memory.ActivationCandidatesAsync(now, limit))
                    .SequenceEqual(await postgres.ActivationCandidatesAsync(now, limit)),
                    $"activation order differs: {context}, now {now}, limit {limit}");
            }
        }
        Assert.True(await memory.NextActivationDueAsync() == await postgres.NextActivationDueAsync(), $"due differs: {context}");
        // Every taskforce's place in the launch queue, asked all at once and a few at a time.
        var all = taskforces.Select(t => t.TaskforceUuid).ToList();
        var memoryPositions = await memory.LaunchPositionsAsync(all);
        var postgresPositions = await postgres.LaunchPositionsAsync(all);
        Assert.Equal(memoryPositions.Length, postgresPositions.Length);
        Assert.Equal(memoryPositions.Positions.OrderBy(p => p.Key, StringComparer.Ordinal),
            postgresPositions.Positions.OrderBy(p => p.Key, StringComparer.Ordinal));
        var some = all.Where(_ => random.Next(10) == 0).ToList();
        Assert.Equal((await memory.LaunchPositionsAsync(some)).Positions.OrderBy(p => p.Key, StringComparer.Ordinal),
            (await postgres.LaunchPositionsAsync(some)).Positions.OrderBy(p => p.Key, StringComparer.Ordinal));
        // The census counts each taskforce once, in the phase of its latest revision, whatever order they came in.
        var census = await memory.CountTaskforcesByPhaseAsync();
        Assert.Equal(census.OrderBy(kv => kv.Key), (await postgres.CountTaskforcesByPhaseAsync()).OrderBy(kv => kv.Key));
        Assert.Equal(taskforces.Count, census.Values.Sum());
        foreach (var tf in taskforces)
        {
            Assert.True(Same(await memory.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid),
                await postgres.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid)), $"json differs: {context}");
        }

        for (var i = 0; i < 300; i++)
        {
            var (kind, json) = RandomFind(random);
            var filter = FilterParser.Parse(json);
            var expected = await Ids(memory.FindAsync(kind, filter, null));
            var actual = await Ids(postgres.FindAsync(kind, filter, null));
            Assert.True(expected.SetEquals(actual),
                $"{context}: {kind} {json.ToJsonString()} matched {expected.Count} in memory, {actual.Count} in PostgreSQL");

            // The same objects as pages, in the same order, from the start and from a position partway.
            var where = $"{context}: {kind} {json.ToJsonString()}";
            var memoryPage = await Page(memory.FindPageAsync(kind, filter, null, null));
            Assert.True(memoryPage.SequenceEqual(await Page(postgres.FindPageAsync(kind, filter, null, null))),
                $"page differs: {where}");
            Assert.True(memoryPage.Select(p => p.Position.Id).ToHashSet().SetEquals(expected), $"page is not the find: {where}");
            if (memoryPage.Count > 0)
            {
                var from = memoryPage[random.Next(memoryPage.Count)].Position;
                Assert.True((await Page(memory.FindPageAsync(kind, filter, null, from)))
                    .SequenceEqual(await Page(postgres.FindPageAsync(kind, filter, null, from))), $"page after {from} differs: {where}");
            }
        }
        foreach (var kind in new[] { ObjectKind.Workflow, ObjectKind.TaskDirective })
        {
            Assert.True((await Page(memory.FindPageAsync(kind, MatchAllNode.Instance, null, null)))
                .SequenceEqual(await Page(postgres.FindPageAsync(kind, MatchAllNode.Instance, null, null))),
                $"{context}: page of every {kind} differs");
        }
    }

    /// <summary>A page as comparable values: each object's position and JSON text.</summary>
    private static async Task<List<(FindPosition Position, string Json)>> Page(IAsyncEnumerable<FoundObject> found) =>
        [.. (await found.ToListAsync()).Select(f => (f.Position, f.Document.ToJsonString()))];

    private static bool Same(byte[]? a, byte[]? b) => a is null ? b is null : b is not null && a.AsSpan().SequenceEqual(b);

    private static async Task<HashSet<string>> Ids(IAsyncEnumerable<JsonObject> found) =>
        [.. (await found.ToListAsync()).Select(d => (d["taskforce_uuid"] ?? d["workflow_id"])!.GetValue<string>())];

    private static IEnumerable<long> Revisions(Random random) =>
        Enumerable.Range(0, 1 + random.Next(3)).Select(_ => (long)random.Next(1, 5));

    private static TaskforceDocument RandomTaskforce(Random random) => Taskforce(
        Phase.All[random.Next(Phase.All.Count)], Collectors[random.Next(Collectors.Length)],
        Schedds[random.Next(Schedds.Length)], priority: random.Next(3), timestamp: random.Next(3) / 2.0,
        clusterId: random.Next(2) == 0 ? null : random.Next(1, 4), submitFailures: random.Next(5),
        rmFailures: random.Next(5), taskforcePriority: random.Next(3),
        // Uuids differing only in case, so the ordinal tie-break is exercised.
        uuid: "TF-" + new string([.. Enumerable.Range(0, 4).Select(_ => "aAbB"[random.Next(4)])]) + Unique(""));

    // A later version of the same taskforce: another phase, failures, priority...
    private static TaskforceDocument Mutate(Random random, TaskforceDocument tf) =>
        RandomTaskforce(random) with { TaskforceUuid = tf.TaskforceUuid, WorkflowId = tf.WorkflowId, TaskId = tf.TaskId };

    private static TaskDirectiveDocument RandomDirective(Random random, string workflowId, string? id = null) =>
        Directive(workflowId, random.Next(3) / 2.0,
            id ?? "TK-" + new string([.. Enumerable.Range(0, 3).Select(_ => "pPqQ"[random.Next(4)])]) + Unique(""));

    private static WorkflowDocument RandomWorkflow(Random random) => Workflow(
        priority: random.Next(3), timestamp: random.Next(3), retryAt: random.Next(3) == 0 ? null : 50 * random.Next(4),
        activatedAt: random.Next(3) == 0 ? 5 : null, deactivated: random.Next(4) == 0 ? Deactivation.Aborted : null,
        id: "WF-" + new string([.. Enumerable.Range(0, 3).Select(_ => "xXyY"[random.Next(4)])]) + Unique(""));

    private static (ObjectKind Kind, JsonObject Filter) RandomFind(Random random)
    {
        if (random.Next(4) == 0)
        {
            var wfPath = new[] { "priority", "timestamp", "mq_activated_ts", "_mq_activation_retry_at_ts", "deactivated", "workflow_id" }[random.Next(6)];
            return (ObjectKind.Workflow, new JsonObject { [wfPath] = Condition(random, Value(random)) });
        }
        var paths = new[]
        {
            "collector", "schedd", "phase", "cluster_id", "worker_config.priority", "timestamp",
            "phase_change_log.target_phase", "phase_change_log.was_successful", "phase_change_log.1.target_phase",
            "phase_change_log.0", "pilot_config.environment.EWMS_PILOT_TASK_IMAGE", "condor_complete_ts",
            "taskforce_uuid",
        };
        var filter = new JsonObject();
        for (var i = 0; i < 1 + random.Next(3); i++)
        {
            filter[paths[random.Next(paths.Length)]] = Condition(random, Value(random));
        }
        return (ObjectKind.Taskforce, random.Next(5) == 0 ? new JsonObject { ["$nor"] = new JsonArray(filter) } : filter);
    }

    private static JsonNode? Condition(Random random, JsonNode? value) => random.Next(9) switch
    {
        0 => value,
        1 => new JsonObject { ["$ne"] = value },
        2 => new JsonObject { ["$gte"] = value },
        3 => new JsonObject { ["$lt"] = value },
        4 => new JsonObject { ["$in"] = new JsonArray(value, Value(random)) },
        5 => new JsonObject { ["$nin"] = new JsonArray(value) },
        6 => new JsonObject { ["$exists"] = random.Next(2) == 0 },
        7 => new JsonObject { ["$not"] = new JsonObject { ["$gt"] = value } },
        _ => new JsonObject { ["$eq"] = value },
    };

    private static JsonNode? Value(Random random) => random.Next(12) switch
    {
        0 => null,
        1 => Collectors[random.Next(Collectors.Length)],
        2 => Schedds[random.Next(Schedds.Length)],
        3 => Phase.All[random.Next(Phase.All.Count)],
        4 => random.Next(3),
        5 => random.Next(3) / 2.0,
        6 => random.Next(2) == 0,
        7 => "ABORTED",
        8 => 50 * random.Next(4),
        9 => new JsonObject { ["target_phase"] = Phase.PreMqActivation, ["timestamp"] = 1 },
        10 => JsonNode.Parse(string.Create(CultureInfo.InvariantCulture, $"{random.Next(4)}.0")),
        _ => "TMS",
    };
}
