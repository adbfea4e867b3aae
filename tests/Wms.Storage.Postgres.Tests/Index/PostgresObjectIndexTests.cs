using System.Text.Json.Nodes;
using Npgsql;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Query;
using Wms.Storage.Postgres.Index;
using Wms.Storage.Postgres.Tests.Infrastructure;
using static Wms.Storage.Postgres.Tests.Index.IndexDocs;
using Counts = System.Collections.Generic.Dictionary<string, long>;
using Statuses = System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, long>>;

namespace Wms.Storage.Postgres.Tests.Index;

/// <summary>The index's own rules, case by case: revisions, atomic batches, the selections and exact JSON.</summary>
public sealed class PostgresObjectIndexTests(IndexDatabase database) : IClassFixture<IndexDatabase>
{
    private readonly PostgresObjectIndex _index = database.Index;

    [Fact]
    public async Task ARevisionNeverGoesBack()
    {
        await database.ResetAsync();
        var waiting = Taskforce(Phase.PendingStarter);
        var submitted = waiting with { Phase = Phase.CondorSubmit, ClusterId = 5 };

        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(submitted, 2)));
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(waiting, 1)));
        Assert.Equal(WireJson.ToUtf8(submitted), await _index.GetJsonAsync(ObjectKind.Taskforce, waiting.TaskforceUuid));
        // The stale write put back neither the document nor its selection columns.
        Assert.Null(await _index.NextPendingStarterAsync(waiting.Collector, waiting.Schedd, 2));
        Assert.Empty(await _index.FindAsync(ObjectKind.Taskforce, Filter("""{"phase": "pending-starter"}"""), null).ToListAsync());

        // An equal revision is not newer: the first one stays.
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(submitted with { NWorkers = 99 }, 2)));
        Assert.Equal(WireJson.ToUtf8(submitted), await _index.GetJsonAsync(ObjectKind.Taskforce, waiting.TaskforceUuid));

        var stopping = submitted with { Phase = Phase.PendingStopper };
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(stopping, 3)));
        Assert.Equal(WireJson.ToUtf8(stopping), await _index.NextPendingStopperAsync(waiting.Collector, waiting.Schedd, 2));

        var workflow = Workflow(priority: 1);
        await _index.WriteAsync(IndexBatch.Of(new Versioned<WorkflowDocument>(workflow with { MqActivatedTs = 2 }, 5)));
        await _index.WriteAsync(IndexBatch.Of(new Versioned<WorkflowDocument>(workflow, 4)));
        Assert.Empty(await _index.ActivationCandidatesAsync(double.MaxValue, 10));
        Assert.Null(await _index.NextActivationDueAsync());

        var directive = Directive(workflow.WorkflowId, null, "q-1");
        await _index.WriteAsync(new IndexBatch { TaskDirectives = [new(directive, 7)] });
        await _index.WriteAsync(new IndexBatch { TaskDirectives = [new(directive with { TaskArgs = "stale" }, 6)] });
        Assert.Equal(WireJson.ToUtf8(directive), await _index.GetJsonAsync(ObjectKind.TaskDirective, directive.TaskId));
    }

    [Fact]
    public async Task RepeatsOfOneObjectInABatchKeepTheHighestRevision()
    {
        await database.ResetAsync();
        var tf = Taskforce(Phase.PreLaunch);
        var launched = tf with { Phase = Phase.PendingStarter };
        await _index.WriteAsync(new IndexBatch { Taskforces = [new(launched, 2), new(tf, 1), new(tf with { NWorkers = 9 }, 2)] });
        Assert.Equal(WireJson.ToUtf8(launched), await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
        Assert.Empty(await _index.LaunchCandidatesAsync(10));
    }

    [Fact]
    public async Task ABatchThatFailsHalfWayLeavesNothingVisible()
    {
        await database.ResetAsync();
        var before = Workflow(priority: 1);
        await _index.WriteAsync(IndexBatch.Of(new Versioned<WorkflowDocument>(before, 1)));

        var after = before with { MqActivatedTs = 9 };
        var directive = Directive(before.WorkflowId);
        var first = Taskforce(Phase.PreLaunch, uuid: Unique("TF-1"), workflowId: before.WorkflowId);
        var refused = Taskforce(Phase.PreLaunch, uuid: Unique("TF-2"), workflowId: before.WorkflowId);
        var last = Taskforce(Phase.PreLaunch, uuid: Unique("TF-3"), workflowId: before.WorkflowId);
        var batch = new IndexBatch
        {
            Workflows = [new(after, 2)],
            TaskDirectives = [new(directive, 1)],
            Taskforces = [new(last, 1), new(refused, 1), new(first, 1)],
        };
        // The database refuses one row in the middle of the batch (rows are written in id order).
        await using (await RefusingTrigger.InstallAsync(database.ConnectionString, "public.wms_index_taskforce", "id", "TF-2-%"))
        {
            var error = await Assert.ThrowsAsync<PostgresException>(() => _index.WriteAsync(batch));
            Assert.Contains(RefusingTrigger.Message, error.MessageText);
        }

        Assert.Equal(WireJson.ToUtf8(before), await _index.GetJsonAsync(ObjectKind.Workflow, before.WorkflowId));
        Assert.Equal([before.WorkflowId], await _index.ActivationCandidatesAsync(0, 10));
        Assert.Null(await _index.GetJsonAsync(ObjectKind.TaskDirective, directive.TaskId));
        Assert.Null(await _index.GetJsonAsync(ObjectKind.Taskforce, first.TaskforceUuid));
        Assert.Empty(await _index.LaunchCandidatesAsync(10));
        Assert.Empty(await _index.FindAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null).ToListAsync());

        // The same batch goes through once nothing refuses it.
        await _index.WriteAsync(batch);
        Assert.Equal(WireJson.ToUtf8(after), await _index.GetJsonAsync(ObjectKind.Workflow, before.WorkflowId));
        Assert.Equal(3, (await _index.LaunchCandidatesAsync(10)).Count);
    }

    [Fact]
    public async Task ConcurrentReadersSeeABatchWholeOrNotAtAll()
    {
        await database.ResetAsync();
        const int batches = 300;
        var planned = Enumerable.Range(0, batches).Select(_ =>
        {
            var wf = Workflow();
            var td = Directive(wf.WorkflowId);
            var tf = Taskforce(Phase.PreMqActivation, workflowId: wf.WorkflowId);
            return (wf, td, tf);
        }).ToArray();
        var written = 0;
        var torn = 0;
        var reads = 0;

        var writer = Task.Run(async () =>
        {
            foreach (var (wf, td, tf) in planned)
            {
                await _index.WriteAsync(new IndexBatch
                {
                    Workflows = [new(wf, 1)],
                    TaskDirectives = [new(td, 1)],
                    Taskforces = [new(tf, 1)],
                });
                Interlocked.Increment(ref written);
            }
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref written) < batches)
            {
                var (wf, td, tf) = planned[Math.Min(Volatile.Read(ref written), batches - 1)];
                // Read in both orders: no piece of a batch may be seen without the others.
                var tfFirst = await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid) is not null;
                var tdThen = await _index.GetJsonAsync(ObjectKind.TaskDirective, td.TaskId) is not null;
                var wfThen = await _index.GetJsonAsync(ObjectKind.Workflow, wf.WorkflowId) is not null;
                var wfFirst = await _index.GetJsonAsync(ObjectKind.Workflow, wf.WorkflowId) is not null;
                var tfThen = await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid) is not null;
                if ((tfFirst && !(tdThen && wfThen)) || (wfFirst && !tfThen))
                {
                    Interlocked.Increment(ref torn);
                }
                Interlocked.Increment(ref reads);
            }
        })).ToArray();
        await Task.WhenAll(readers.Append(writer));

        Assert.Equal(0, torn);
        Assert.True(reads > 0);
        Assert.Equal(batches, (await _index.FindAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null).ToListAsync()).Count);
    }

    [Fact]
    public async Task StarterIsHighestPriorityThenFewestFailuresThenOldestThenUuidWithinItsPoolAndRetryLimit()
    {
        await database.ResetAsync();
        const string c = "COLLECTOR1";
        const string s = "SCHEDD1";
        var old = Taskforce(Phase.PendingStarter, c, s, priority: 5, timestamp: 10);
        var young = Taskforce(Phase.PendingStarter, c, s, priority: 5, timestamp: 20);
        await _index.WriteAsync(Batch(old, young));
        Assert.Equal(old.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 2)));

        // Fewer failures beat age; priority beats both.
        var failedOnce = old with { PhaseChangeLog = [.. old.PhaseChangeLog, Entry(Phase.CondorSubmit, false)] };
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(failedOnce, 2)));
        Assert.Equal(young.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 2)));
        var urgent = Taskforce(Phase.PendingStarter, c, s, priority: 6, timestamp: 30, submitFailures: 2);
        await _index.WriteAsync(Batch(urgent));
        Assert.Equal(urgent.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 2)));

        // The retry limit: more failed submits than allowed and it is never offered.
        Assert.Equal(young.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 1)));
        var exhausted = Taskforce(Phase.PendingStarter, c, s, priority: 99, submitFailures: 3, rmFailures: 0);
        await _index.WriteAsync(Batch(exhausted));
        Assert.Equal(urgent.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 2)));
        Assert.Equal(exhausted.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 3)));
        // Failed condor-rm attempts do not count against starting.
        var rmFailed = Taskforce(Phase.PendingStarter, c, s, priority: 98, rmFailures: 5);
        await _index.WriteAsync(Batch(rmFailed));
        Assert.Equal(rmFailed.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 2)));

        // Equal on every key: the ordinal uuid order decides ("TF-B" < "TF-a" by code point).
        var lower = Taskforce(Phase.PendingStarter, c, s, priority: 200, timestamp: 1, uuid: "TF-a");
        var upper = Taskforce(Phase.PendingStarter, c, s, priority: 200, timestamp: 1, uuid: "TF-B");
        await _index.WriteAsync(Batch(lower, upper));
        Assert.Equal(WireJson.ToUtf8(upper), await _index.NextPendingStarterAsync(c, s, 2));

        // Only that pool and that phase count.
        await _index.WriteAsync(Batch(
            Taskforce(Phase.PendingStarter, c, "SCHEDD2", priority: 1000),
            Taskforce(Phase.PendingStarter, "COLLECTOR2", s, priority: 1000),
            Taskforce(Phase.PreLaunch, c, s, priority: 1000),
            Taskforce(Phase.CondorSubmit, c, s, priority: 1000)));
        Assert.Equal(upper.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(c, s, 2)));
        Assert.Null(await _index.NextPendingStarterAsync(c, "nobody", 2));
        Assert.Null(await _index.NextPendingStarterAsync("nobody", s, 2));
    }

    [Fact]
    public async Task StopperIsOldestSubmittedTaskforceWithinItsPoolAndRetryLimit()
    {
        await database.ResetAsync();
        const string c = "COLLECTOR1";
        const string s = "SCHEDD1";
        var neverSubmitted = Taskforce(Phase.PendingStopper, c, s, timestamp: 1);
        var young = Taskforce(Phase.PendingStopper, c, s, timestamp: 20, clusterId: 2, priority: 1);
        var old = Taskforce(Phase.PendingStopper, c, s, timestamp: 10, clusterId: 1, priority: 0, rmFailures: 2);
        var exhausted = Taskforce(Phase.PendingStopper, c, s, timestamp: 5, clusterId: 3, rmFailures: 3);
        await _index.WriteAsync(Batch(neverSubmitted, young, old, exhausted,
            Taskforce(Phase.PendingStopper, c, "SCHEDD2", timestamp: 0, clusterId: 4),
            Taskforce(Phase.CondorRm, c, s, timestamp: 0, clusterId: 5)));

        Assert.Equal(WireJson.ToUtf8(old), await _index.NextPendingStopperAsync(c, s, 2));
        Assert.Equal(exhausted.TaskforceUuid, Uuid(await _index.NextPendingStopperAsync(c, s, 3)));
        Assert.Equal(young.TaskforceUuid, Uuid(await _index.NextPendingStopperAsync(c, s, 1)));
        Assert.Null(await _index.NextPendingStopperAsync(c, s, -1));
        Assert.Null(await _index.NextPendingStopperAsync("COLLECTOR2", s, 2));

        var tieA = Taskforce(Phase.PendingStopper, c, s, timestamp: 0, clusterId: 6, uuid: "TF-b");
        var tieB = Taskforce(Phase.PendingStopper, c, s, timestamp: 0, clusterId: 7, uuid: "TF-C");
        await _index.WriteAsync(Batch(tieA, tieB));
        Assert.Equal(tieB.TaskforceUuid, Uuid(await _index.NextPendingStopperAsync(c, s, 2)));
    }

    [Fact]
    public async Task ActivationCandidatesAreTheDueWaitingWorkflowsInOrder()
    {
        await database.ResetAsync();
        Assert.Null(await _index.NextActivationDueAsync());
        var dueRetry = Workflow(priority: 0, timestamp: 50, retryAt: 100);
        var laterRetry = Workflow(priority: 100, timestamp: 1, retryAt: 300);
        var high = Workflow(priority: 90, timestamp: 20);
        var low = Workflow(priority: 10, timestamp: 10);
        var lowTwinB = Workflow(priority: 10, timestamp: 10, id: "WF-B");
        var lowTwinA = Workflow(priority: 10, timestamp: 10, id: "WF-a");
        var activated = Workflow(priority: 100, timestamp: 1, activatedAt: 5);
        var aborted = Workflow(priority: 100, timestamp: 1, deactivated: Deactivation.Aborted);
        await _index.WriteAsync(new IndexBatch
        {
            Workflows = [.. new[] { low, lowTwinA, high, laterRetry, activated, aborted, lowTwinB, dueRetry }
                .Select(w => new Versioned<WorkflowDocument>(w, 1))],
        });

        // Equal priority and age: ids in code point order ("WF-0…" < "WF-B" < "WF-a"; a culture would put a before B).
        var lows = new[] { low.WorkflowId, lowTwinA.WorkflowId, lowTwinB.WorkflowId }.Order(StringComparer.Ordinal);
        Assert.Equal([dueRetry.WorkflowId, high.WorkflowId, .. lows], await _index.ActivationCandidatesAsync(200, 10));
        Assert.Equal([dueRetry.WorkflowId], await _index.ActivationCandidatesAsync(200, 1));
        Assert.Equal([dueRetry.WorkflowId], await _index.ActivationCandidatesAsync(100, 1));
        Assert.Equal([high.WorkflowId], await _index.ActivationCandidatesAsync(99.5, 1));
        Assert.Equal([laterRetry.WorkflowId, dueRetry.WorkflowId, high.WorkflowId, .. lows],
            await _index.ActivationCandidatesAsync(300, 10));
        Assert.Empty(await _index.ActivationCandidatesAsync(300, 0));
        Assert.Equal(double.NegativeInfinity, await _index.NextActivationDueAsync());

        await _index.WriteAsync(new IndexBatch
        {
            Workflows =
            [
                new(high with { MqActivatedTs = 6 }, 2), new(low with { Deactivated = Deactivation.Finished }, 2),
                new(lowTwinA with { MqActivatedTs = 6 }, 2), new(lowTwinB with { MqActivatedTs = 6 }, 2),
            ],
        });
        Assert.Equal([dueRetry.WorkflowId], await _index.ActivationCandidatesAsync(200, 10));
        Assert.Equal(100, await _index.NextActivationDueAsync());
    }

    [Fact]
    public async Task LaunchCandidatesArePreLaunchTaskforcesByPriorityThenAgeThenUuid()
    {
        await database.ResetAsync();
        var a = Taskforce(Phase.PreLaunch, priority: 1, timestamp: 1);
        var b = Taskforce(Phase.PreLaunch, priority: 9, timestamp: 5, collector: "COLLECTOR2");
        var c = Taskforce(Phase.PreLaunch, priority: 9, timestamp: 3, schedd: "SCHEDD9");
        var d = Taskforce(Phase.PreLaunch, priority: 9, timestamp: 5, uuid: "TF-0");
        var other = Taskforce(Phase.PendingStarter, priority: 100, timestamp: 0);
        await _index.WriteAsync(Batch(a, b, c, d, other));

        Assert.Equal([c.TaskforceUuid, d.TaskforceUuid, b.TaskforceUuid, a.TaskforceUuid], await _index.LaunchCandidatesAsync(100));
        Assert.Equal([c.TaskforceUuid], await _index.LaunchCandidatesAsync(1));
        Assert.Empty(await _index.LaunchCandidatesAsync(0));

        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(c with { Phase = Phase.PendingStarter }, 2)));
        Assert.Equal([d.TaskforceUuid, b.TaskforceUuid, a.TaskforceUuid], await _index.LaunchCandidatesAsync(100));
    }

    [Fact]
    public async Task GetJsonReturnsTheWireBytesExactly()
    {
        await database.ResetAsync();
        var tf = Taskforce(Phase.CondorSubmit, collector: "coll'ector \"é\" 😀", clusterId: 9_007_199_254_740_993,
            timestamp: 1_700_000_000.123456) with
        {
            NWorkers = long.MaxValue,
            SubmitDict = new Dictionary<string, ConfigValue>
            {
                ["a\\b"] = ConfigValue.Of("tab\there, nul\0here, <tag> & \u2028"),
                ["z"] = ConfigValue.Of(-0L),
                ["list"] = ConfigValue.Of(["x", "ÿ", "\uFFFD"]),
            },
            CompoundStatuses = new Statuses
            {
                ["HELD: Memory usage exceeds a memory limit"] = new Counts { ["null"] = 7 },
            },
            TopTaskErrors = new Counts { ["b"] = 1, ["a"] = 2, ["nul\0key"] = 3 },
        };
        var wf = Workflow(timestamp: 0.1 + 0.2, retryAt: 1e300);
        var td = Directive(wf.WorkflowId, null, "q\u0001", "ü");
        await _index.WriteAsync(new IndexBatch { Workflows = [new(wf, 1)], TaskDirectives = [new(td, 1)], Taskforces = [new(tf, 1)] });

        Assert.Equal(WireJson.ToUtf8(tf), await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
        Assert.Equal(WireJson.ToUtf8(wf), await _index.GetJsonAsync(ObjectKind.Workflow, wf.WorkflowId));
        Assert.Equal(WireJson.ToUtf8(td), await _index.GetJsonAsync(ObjectKind.TaskDirective, td.TaskId));
        Assert.Null(await _index.GetJsonAsync(ObjectKind.Workflow, tf.TaskforceUuid));

        // A NUL, which jsonb cannot hold, does not keep the document out of finds, nor out of its bytes.
        var found = Assert.Single(await _index.FindAsync(ObjectKind.Taskforce,
            Filter("""{"top_task_errors.a": 2, "cluster_id": 9007199254740993}"""), null).ToListAsync());
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(WireJson.ToUtf8(tf)), found));
        Assert.Equal(tf.Collector, found["collector"]!.GetValue<string>());
        Assert.Single(await _index.FindAsync(ObjectKind.Taskforce, Filter("""{"collector": "coll'ector \"é\" 😀"}"""), null).ToListAsync());
    }

    [Fact]
    public async Task FindFiltersAndProjectsEachKind()
    {
        await database.ResetAsync();
        var wf = Workflow();
        var td = Directive(wf.WorkflowId, null, "mq-in-1", "mq-in-2");
        var tf = Taskforce(Phase.CondorSubmit, "COLLECTOR1", "SCHEDD1", clusterId: 17, workflowId: wf.WorkflowId) with
        {
            JobEventLogFpath = "/scratch/jel/17.log",
        };
        var elsewhere = Taskforce(Phase.CondorSubmit, "COLLECTOR1", "SCHEDD2", clusterId: 18) with
        {
            JobEventLogFpath = "/scratch/jel/17.log",
        };
        await _index.WriteAsync(new IndexBatch
        {
            Workflows = [new(wf, 1), new(Workflow(), 1)],
            TaskDirectives = [new(td, 1), new(Directive(wf.WorkflowId, null, "mq-other"), 1)],
            Taskforces = [new(tf, 1), new(elsewhere, 1)],
        });

        // The TMS's own look-up, projected.
        var tms = await _index.FindAsync(ObjectKind.Taskforce,
            Filter("""{"collector": "COLLECTOR1", "schedd": "SCHEDD1", "job_event_log_fpath": "/scratch/jel/17.log"}"""),
            Projection.Parse(new JsonArray("taskforce_uuid", "cluster_id"))).ToListAsync();
        var only = Assert.Single(tms);
        Assert.Equal(2, only.Count);
        Assert.Equal(tf.TaskforceUuid, only["taskforce_uuid"]!.GetValue<string>());
        Assert.Equal(17, only["cluster_id"]!.GetValue<long>());

        // A field taskforces do not have.
        Assert.Empty(await _index.FindAsync(ObjectKind.Taskforce, Filter("""{"condor_complete_ts": {"$ne": null}}"""), null).ToListAsync());
        Assert.Equal(2, (await _index.FindAsync(ObjectKind.Taskforce, Filter("""{"condor_complete_ts": null}"""), null).ToListAsync()).Count);

        // The columns mirroring fields take part in negations and $in exactly like the fields.
        Assert.Equal([elsewhere.TaskforceUuid], await Uuids(Filter("""{"schedd": {"$ne": "SCHEDD1"}}""")));
        Assert.Equal([elsewhere.TaskforceUuid], await Uuids(Filter("""{"schedd": {"$nin": ["SCHEDD1", 5, null]}}""")));
        Assert.Equal([tf.TaskforceUuid], await Uuids(Filter("""{"schedd": {"$in": ["SCHEDD1", 5, null]}}""")));
        Assert.Empty(await Uuids(Filter("""{"schedd": {"$in": [5, null, {"a": 1}]}}""")));
        Assert.Equal(2, (await Uuids(Filter("""{"collector": {"$gte": "COLLECTOR1"}, "phase": {"$not": {"$eq": 1}}}"""))).Count);
        Assert.Equal([tf.TaskforceUuid], await Uuids(Filter("""{"workflow_id": "ID", "taskforce_uuid": {"$exists": true}}""".Replace("ID", wf.WorkflowId))));
        Assert.Equal([tf.TaskforceUuid], await Uuids(Filter($$"""{"taskforce_uuid": "{{tf.TaskforceUuid}}"}""")));

        var directives = await _index.FindAsync(ObjectKind.TaskDirective, Filter("""{"input_queues": "mq-in-2"}"""),
            Projection.Parse(new JsonArray("task_id"))).ToListAsync();
        Assert.Equal(td.TaskId, Assert.Single(directives)["task_id"]!.GetValue<string>());
        Assert.Equal(2, (await _index.FindAsync(ObjectKind.TaskDirective,
            Filter($$"""{"workflow_id": "{{wf.WorkflowId}}"}"""), null).ToListAsync()).Count);

        var workflows = await _index.FindAsync(ObjectKind.Workflow,
            Filter("""{"workflow_id": {"$in": ["ID"]}, "mq_activated_ts": null}""".Replace("ID", wf.WorkflowId)), null).ToListAsync();
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(WireJson.ToUtf8(wf)), Assert.Single(workflows)));
    }

    private async Task<List<string>> Uuids(FilterNode filter) =>
        [.. (await _index.FindAsync(ObjectKind.Taskforce, filter, null).ToListAsync())
            .Select(d => d["taskforce_uuid"]!.GetValue<string>()).Order(StringComparer.Ordinal)];

    private static FilterNode Filter(string json) => FilterParser.Parse(JsonNode.Parse(json)!.AsObject());
}
