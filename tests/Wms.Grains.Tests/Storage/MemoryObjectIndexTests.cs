using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Grains.Tests.Support;
using Wms.Query;
using Wms.Storage.Memory;

namespace Wms.Grains.Tests.Storage;

public sealed class MemoryObjectIndexTests
{
    private readonly MemoryObjectIndex _index = new();

    [Fact]
    public async Task ARevisionNeverGoesBack()
    {
        var tf = Build.Taskforce(Phase.PendingStarter);
        var submitted = TaskforceTransitions.CondorSubmit(tf, Build.Submission(), 1)!;

        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(submitted, 2)));
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(tf, 1)));

        Assert.Equal(WireJson.ToUtf8(submitted), await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
        // The stale write did not put it back into the TMS's selection either.
        Assert.Null(await _index.NextPendingStarterAsync(tf.Collector, tf.Schedd, 2));

        // An equal revision is not newer: the first one stays.
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(submitted with { NWorkers = 99 }, 2)));
        Assert.Equal(WireJson.ToUtf8(submitted), await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));

        var workflow = new WorkflowDocument { WorkflowId = Build.WorkflowId(), Timestamp = 1, Priority = 1 };
        await _index.WriteAsync(IndexBatch.Of(new Versioned<WorkflowDocument>(workflow with { MqActivatedTs = 2 }, 5)));
        await _index.WriteAsync(IndexBatch.Of(new Versioned<WorkflowDocument>(workflow, 4)));
        Assert.Empty(await _index.ActivationCandidatesAsync(double.MaxValue, 10));
        Assert.Null(await _index.NextActivationDueAsync());
    }

    [Fact]
    public async Task ABatchIsSeenWholeOrNotAtAllByConcurrentReaders()
    {
        var planned = Enumerable.Range(0, 3000).Select(_ =>
        {
            var tf = Build.Taskforce(Phase.PreMqActivation, Build.Alpha);
            var td = new TaskDirectiveDocument
            {
                TaskId = tf.TaskId,
                WorkflowId = tf.WorkflowId,
                ClusterLocations = ["test-alpha"],
                TaskImage = "i",
                TaskArgs = "",
                Timestamp = 1,
                InputQueues = [],
                OutputQueues = [],
            };
            var wf = new WorkflowDocument { WorkflowId = tf.WorkflowId, Timestamp = 1, Priority = 1 };
            return (wf, td, tf);
        })
            // Ids carry 32 random bits; a rare repeat in 3,000 would look like a torn batch, so keep them distinct.
            .DistinctBy(p => p.wf.WorkflowId).ToArray();
        var batches = planned.Length;
        var written = 0;
        var torn = 0;

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
                Volatile.Write(ref written, Volatile.Read(ref written) + 1);
            }
        });
        var readers = Enumerable.Range(0, 3).Select(_ => Task.Run(async () =>
        {
            while (Volatile.Read(ref written) < batches)
            {
                var (wf, td, tf) = planned[Random.Shared.Next(batches)];
                // Whichever piece a piecemeal writer would publish first or last, reading in either order must
                // never find one piece of a batch without the others.
                var tfFirst = await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid) is not null;
                var tdThen = await _index.GetJsonAsync(ObjectKind.TaskDirective, td.TaskId) is not null;
                var wfThen = await _index.GetJsonAsync(ObjectKind.Workflow, wf.WorkflowId) is not null;
                var wfFirst = await _index.GetJsonAsync(ObjectKind.Workflow, wf.WorkflowId) is not null;
                var tfThen = await _index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid) is not null;
                if ((tfFirst && !(tdThen && wfThen)) || (wfFirst && !tfThen))
                {
                    Interlocked.Increment(ref torn);
                }
            }
        })).ToArray();
        await Task.WhenAll(readers.Append(writer));

        Assert.Equal(0, torn);
        var all = new List<JsonObject>();
        await foreach (var doc in _index.FindAsync(ObjectKind.Taskforce, MatchAllNode.Instance, null))
        {
            all.Add(doc);
        }
        Assert.Equal(batches, all.Count);
    }

    [Fact]
    public async Task StarterSelectionLooksOnlyAtTheAskedCollectorAndScheddAmongManyOthers()
    {
        var target = Build.UniqueLocation();
        var sameCollector = target with { Schedd = "other-schedd" };
        var sameSchedd = target with { Collector = "other-collector" };
        var crowd = new List<Versioned<TaskforceDocument>>();
        for (var i = 0; i < 5000; i++)
        {
            var pool = (i % 3) switch { 0 => sameCollector, 1 => sameSchedd, _ => Build.UniqueLocation() };
            // Everywhere else the crowd beats the target on every ordering key.
            crowd.Add(new(Build.Taskforce(Phase.PendingStarter, pool, workerPriority: 100, timestamp: 1), 1));
        }
        await _index.WriteAsync(new IndexBatch { Taskforces = crowd });
        var ours = Build.Taskforce(Phase.PendingStarter, target, workerPriority: 1, timestamp: 1_000);
        var notYet = Build.Taskforce(Phase.PreLaunch, target, workerPriority: 100, timestamp: 1);
        var stopping = Build.Taskforce(Phase.PendingStopper, target, workerPriority: 100, timestamp: 1, clusterId: 3);
        await _index.WriteAsync(new IndexBatch { Taskforces = [new(ours, 1), new(notYet, 1), new(stopping, 1)] });

        Assert.Equal(ours.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(target.Collector, target.Schedd, 2)));
        Assert.Equal(stopping.TaskforceUuid, Uuid(await _index.NextPendingStopperAsync(target.Collector, target.Schedd, 2)));
        Assert.Null(await _index.NextPendingStarterAsync("nobody", target.Schedd, 2));
        Assert.Null(await _index.NextPendingStarterAsync(target.Collector, "nobody", 2));
        Assert.Null(await _index.NextPendingStopperAsync(sameCollector.Collector, sameCollector.Schedd, 2));

        // Moving out of the phase takes it out of the selection; moving in puts it in.
        var submitted = TaskforceTransitions.CondorSubmit(ours, Build.Submission(), 2)!;
        var launched = TaskforceTransitions.Launch(notYet, 2)!;
        await _index.WriteAsync(new IndexBatch { Taskforces = [new(submitted, 2), new(launched, 2)] });
        Assert.Equal(launched.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(target.Collector, target.Schedd, 2)));
    }

    [Fact]
    public async Task ScheddPollsLookAtTheAskedScheddWhateverTheCollectorAmongManyOthers()
    {
        var target = Build.UniqueLocation();
        var otherCollector = target with { Collector = "other-collector" };
        var crowd = new List<Versioned<TaskforceDocument>>();
        for (var i = 0; i < 5000; i++)
        {
            // Everywhere else the crowd beats ours on every ordering key.
            var pool = i % 2 == 0 ? target with { Schedd = "other-schedd" } : Build.UniqueLocation();
            crowd.Add(new(Build.Taskforce(Phase.PendingStarter, pool, timestamp: 1) with { Priority = 200 }, 1));
            crowd.Add(new(Build.Taskforce(Phase.PendingStopper, pool, timestamp: 1, clusterId: 1), 1));
        }
        await _index.WriteAsync(new IndexBatch { Taskforces = crowd });
        var ours = Build.Taskforce(Phase.PendingStarter, target, workerPriority: 100, timestamp: 1_000) with { Priority = 50 };
        var theirs = Build.Taskforce(Phase.PendingStarter, otherCollector, workerPriority: 1, timestamp: 2_000) with { Priority = 60 };
        var stopping = Build.Taskforce(Phase.PendingStopper, otherCollector, timestamp: 3_000, clusterId: 3);
        var notYet = Build.Taskforce(Phase.PreLaunch, target, timestamp: 1) with { Priority = 200 };
        await _index.WriteAsync(new IndexBatch { Taskforces = [new(ours, 1), new(theirs, 1), new(stopping, 1), new(notYet, 1)] });

        // The collector's own taskforce for /v0; the schedd's best of any collector for /v1.
        Assert.Equal(ours.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(target.Collector, target.Schedd, 2)));
        Assert.Equal(theirs.TaskforceUuid, Uuid(await _index.NextPendingStarterAtScheddAsync(target.Schedd, 2)));
        Assert.Null(await _index.NextPendingStopperAsync(target.Collector, target.Schedd, 2));
        Assert.Equal(stopping.TaskforceUuid, Uuid(await _index.NextPendingStopperAtScheddAsync(target.Schedd, 2)));
        Assert.Null(await _index.NextPendingStarterAtScheddAsync("nobody", 2));

        // Moving out of the phase takes it out of the selection; moving in puts it in.
        var submitted = TaskforceTransitions.CondorSubmit(theirs, Build.Submission(), 2)!;
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(submitted, 2)));
        Assert.Equal(ours.TaskforceUuid, Uuid(await _index.NextPendingStarterAtScheddAsync(target.Schedd, 2)));
        var launched = TaskforceTransitions.Launch(notYet, 2)!;
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(launched, 2)));
        Assert.Equal(launched.TaskforceUuid, Uuid(await _index.NextPendingStarterAtScheddAsync(target.Schedd, 2)));
    }

    [Fact]
    public async Task StarterSelectionPrefersPriorityThenFewerFailuresThenAgeAndAnswersTheLatestJson()
    {
        var pool = Build.UniqueLocation();
        var old = Build.Taskforce(Phase.PendingStarter, pool, workerPriority: 5, timestamp: 10);
        var young = Build.Taskforce(Phase.PendingStarter, pool, workerPriority: 5, timestamp: 20);
        var urgent = Build.Taskforce(Phase.PendingStarter, pool, workerPriority: 6, timestamp: 30);
        await _index.WriteAsync(new IndexBatch { Taskforces = [new(old, 1), new(young, 1), new(urgent, 1)] });
        Assert.Equal(urgent.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(pool.Collector, pool.Schedd, 2)));

        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(
            TaskforceTransitions.CondorSubmit(urgent, Build.Submission(), 40)!, 2)));
        Assert.Equal(old.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(pool.Collector, pool.Schedd, 2)));

        var oldFailed = TaskforceTransitions.CondorSubmitFailed(old, "x", 50)!;
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(oldFailed, 2)));
        Assert.Equal(young.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(pool.Collector, pool.Schedd, 2)));
        Assert.Equal(WireJson.ToUtf8(young), await _index.NextPendingStarterAsync(pool.Collector, pool.Schedd, 2));
        // With no failures allowed, the failed one is never offered.
        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(
            TaskforceTransitions.CondorSubmit(young, Build.Submission(), 60)!, 2)));
        Assert.Equal(old.TaskforceUuid, Uuid(await _index.NextPendingStarterAsync(pool.Collector, pool.Schedd, 2)));
        Assert.Null(await _index.NextPendingStarterAsync(pool.Collector, pool.Schedd, 0));
    }

    [Fact]
    public async Task ActivationCandidatesAreTheDueWaitingWorkflowsInOrder()
    {
        WorkflowDocument Wf(int priority, double ts, double? retryAt = null) => new()
        {
            WorkflowId = Build.WorkflowId(),
            Priority = priority,
            Timestamp = ts,
            MqActivationRetryAtTs = retryAt,
        };
        var dueRetry = Wf(0, 50, retryAt: 100);
        var laterRetry = Wf(100, 1, retryAt: 300);
        var high = Wf(90, 20);
        var low = Wf(10, 10);
        var activated = Wf(100, 1) with { MqActivatedTs = 5 };
        var aborted = Wf(100, 1) with { Deactivated = Deactivation.Aborted, DeactivatedTs = 5 };
        await _index.WriteAsync(new IndexBatch
        {
            Workflows = [.. new[] { low, high, laterRetry, activated, aborted, dueRetry }.Select(w => new Versioned<WorkflowDocument>(w, 1))],
        });

        Assert.Equal([dueRetry.WorkflowId, high.WorkflowId, low.WorkflowId], await _index.ActivationCandidatesAsync(200, 10));
        Assert.Equal([dueRetry.WorkflowId], await _index.ActivationCandidatesAsync(200, 1));
        Assert.Equal([laterRetry.WorkflowId, dueRetry.WorkflowId, high.WorkflowId, low.WorkflowId],
            await _index.ActivationCandidatesAsync(300, 10));
        Assert.Equal(double.NegativeInfinity, await _index.NextActivationDueAsync());

        await _index.WriteAsync(new IndexBatch
        {
            Workflows = [new(high with { MqActivatedTs = 6 }, 2), new(low with { Deactivated = Deactivation.Finished }, 2)],
        });
        Assert.Equal([dueRetry.WorkflowId], await _index.ActivationCandidatesAsync(200, 10));
        Assert.Equal(100, await _index.NextActivationDueAsync());
    }

    [Fact]
    public async Task LaunchCandidatesArePreLaunchTaskforcesByPriorityThenAge()
    {
        var a = Build.Taskforce(Phase.PreLaunch, workerPriority: 1, timestamp: 1);
        var b = Build.Taskforce(Phase.PreLaunch, workerPriority: 9, timestamp: 5);
        var c = Build.Taskforce(Phase.PreLaunch, workerPriority: 9, timestamp: 3);
        var other = Build.Taskforce(Phase.PendingStarter, workerPriority: 100, timestamp: 0);
        await _index.WriteAsync(new IndexBatch { Taskforces = [new(a, 1), new(b, 1), new(c, 1), new(other, 1)] });

        var all = await _index.LaunchCandidatesAsync(100);
        Assert.Equal([c.TaskforceUuid, b.TaskforceUuid, a.TaskforceUuid],
            all.Where(u => u == a.TaskforceUuid || u == b.TaskforceUuid || u == c.TaskforceUuid));
        Assert.DoesNotContain(other.TaskforceUuid, all);
        Assert.Single(await _index.LaunchCandidatesAsync(1));

        await _index.WriteAsync(IndexBatch.Of(new Versioned<TaskforceDocument>(TaskforceTransitions.Launch(c, 9)!, 2)));
        Assert.DoesNotContain(c.TaskforceUuid, await _index.LaunchCandidatesAsync(100));
    }

    [Fact]
    public async Task LaunchCandidatesGoByTaskforcePriorityBeforeWorkerPriority()
    {
        var index = new MemoryObjectIndex();
        var v0 = Build.Taskforce(Phase.PreLaunch, workerPriority: 100, timestamp: 1);
        var v1 = Build.Taskforce(Phase.PreLaunch, workerPriority: 1, timestamp: 5) with { Priority = Priorities.DefaultV1 };
        var v1Older = Build.Taskforce(Phase.PreLaunch, workerPriority: 1, timestamp: 3) with { Priority = Priorities.DefaultV1 };
        var v1Urgent = Build.Taskforce(Phase.PreLaunch, workerPriority: 2, timestamp: 9) with { Priority = Priorities.DefaultV1 };
        var added = Build.Taskforce(Phase.PreLaunch, workerPriority: 1, timestamp: 9) with
        {
            Priority = Priorities.DefaultV1 + Priorities.AddedWorkersBoost,
        };
        await index.WriteAsync(new IndexBatch { Taskforces = [new(v0, 1), new(v1, 1), new(v1Older, 1), new(v1Urgent, 1), new(added, 1)] });

        Assert.Equal([added.TaskforceUuid, v1Urgent.TaskforceUuid, v1Older.TaskforceUuid, v1.TaskforceUuid, v0.TaskforceUuid],
            await index.LaunchCandidatesAsync(10));
    }

    [Fact]
    public async Task FindFiltersAndProjectsTheWireDocuments()
    {
        var pool = Build.UniqueLocation();
        var tf = Build.Taskforce(Phase.PendingStarter, pool, clusterId: 17);
        await _index.WriteAsync(new IndexBatch { Taskforces = [new(tf, 1), new(Build.Taskforce(Phase.PendingStarter), 1)] });
        var filter = FilterParser.Parse(new JsonObject { ["schedd"] = pool.Schedd });
        var projection = Projection.Parse(new JsonArray("taskforce_uuid", "cluster_id"));

        var found = new List<JsonObject>();
        await foreach (var doc in _index.FindAsync(ObjectKind.Taskforce, filter, projection))
        {
            found.Add(doc);
        }

        var only = Assert.Single(found);
        Assert.Equal(2, only.Count);
        Assert.Equal(tf.TaskforceUuid, only["taskforce_uuid"]!.GetValue<string>());
        Assert.Equal(17, only["cluster_id"]!.GetValue<long>());
        Assert.Null(await _index.GetJsonAsync(ObjectKind.Workflow, tf.TaskforceUuid));
    }

    private static string? Uuid(byte[]? json) =>
        json is null ? null : JsonNode.Parse(json)!["taskforce_uuid"]!.GetValue<string>();
}
