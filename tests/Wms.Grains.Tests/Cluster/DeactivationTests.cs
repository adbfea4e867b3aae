using System.Text.Json.Nodes;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Tests.Support;
using Wms.Testing;

namespace Wms.Grains.Tests.Cluster;

[Collection(FastClusterCollection.Name)]
public sealed class DeactivationTests(FastCluster cluster)
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task ADeactivationCutShortIsFinishedByTheNextAttempt()
    {
        var id = Build.WorkflowId();
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var created = await workflow.CreateNewAsync(Build.Workflow(Build.Task([Build.UniqueLocation(), Build.Alpha])));
        var uuids = created.Taskforces.Select(tf => tf.TaskforceUuid).ToList();
        Assert.True(await Poll.UntilAsync(async () => await PhasesAsync(created.Taskforces) is var p &&
            p.All(x => x == Phase.PendingStarter), Deadline));

        // The second taskforce stores its move but cannot index it: the deactivation fails part-way.
        cluster.Index.FailNextWriteOf(uuids[1]);
        await Assert.ThrowsAnyAsync<Exception>(() => workflow.DeactivateAsync(Deactivation.Aborted));

        // The user tries again: the workflow is already deactivated, but every taskforce is told and indexed.
        Assert.Null((await workflow.DeactivateAsync(Deactivation.Aborted)).NTaskforces);
        foreach (var uuid in uuids)
        {
            var indexed = JsonNode.Parse((await cluster.Index.GetJsonAsync(
                Domain.Index.ObjectKind.Taskforce, uuid))!)!;
            Assert.Equal(Phase.PendingStopper, indexed["phase"]!.GetValue<string>());
            var stops = indexed["phase_change_log"]!.AsArray()
                .Where(e => e!["target_phase"]!.GetValue<string>() == Phase.PendingStopper).ToList();
            Assert.True(Assert.Single(stops)!["was_successful"]!.GetValue<bool>());
        }
        var wf = JsonNode.Parse((await cluster.Index.GetJsonAsync(Domain.Index.ObjectKind.Workflow, id))!)!;
        Assert.Equal(Deactivation.Aborted, wf["deactivated"]!.GetValue<string>());
    }

    [Fact]
    public async Task EndingTaskforcesGetARefusedEntryFirstAndEveryOtherOneMovesToPendingStopper()
    {
        var pool = Build.UniqueLocation();
        var id = Build.WorkflowId();
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var created = await workflow.CreateNewAsync(Build.Workflow(
            Build.Task([pool, Build.Alpha]), Build.Task([pool, Build.Beta])));
        Assert.True(await Poll.UntilAsync(async () => await PhasesAsync(created.Taskforces) is var p &&
            p.All(x => x == Phase.PendingStarter), Deadline));

        var uuids = created.Taskforces.Select(tf => tf.TaskforceUuid).ToList();
        var (completed, removed, submitted, waiting) = (Tf(uuids[0]), Tf(uuids[1]), Tf(uuids[2]), Tf(uuids[3]));
        Assert.Equal(TmsOutcome.Applied, await completed.CondorSubmitAsync(Build.Submission(1)));
        Assert.Equal(TmsOutcome.Applied, await completed.CondorCompleteAsync(1_700_000_000));
        Assert.Equal(TmsOutcome.Applied, await removed.CondorRmAsync());
        Assert.Equal(TmsOutcome.Applied, await submitted.CondorSubmitAsync(Build.Submission(3)));
        var before = await Task.WhenAll(uuids.Select(u => Tf(u).GetAsync()));

        var outcome = await workflow.DeactivateAsync(Deactivation.Aborted);

        Assert.Equal(2, outcome.NTaskforces);
        var wf = (await workflow.GetAsync())!;
        Assert.Equal(Deactivation.Aborted, wf.Deactivated);
        Assert.NotNull(wf.DeactivatedTs);
        var after = await Task.WhenAll(uuids.Select(u => Tf(u).GetAsync()));
        var added = after.Zip(before, (a, b) => Assert.Single(a!.PhaseChangeLog.Skip(b!.PhaseChangeLog.Count))).ToList();

        Assert.Equal([Phase.CondorComplete, Phase.CondorRm, Phase.PendingStopper, Phase.PendingStopper],
            after.Select(tf => tf!.Phase));
        Assert.All(added, e =>
        {
            Assert.Equal(Phase.PendingStopper, e.TargetPhase);
            Assert.Equal(SourceEntity.User, e.SourceEntity);
        });
        Assert.Equal([false, false, true, true], added.Select(e => e.WasSuccessful));
        // The refusals were logged before any taskforce moved, so a moved one never gets a refusal too.
        Assert.True(added.Take(2).Max(e => e.Timestamp) <= added.Skip(2).Min(e => e.Timestamp));

        // Only the one that holds an HTCondor cluster has anything for the TMS to stop.
        var stopper = await cluster.Index.NextPendingStopperAsync(pool.Collector, pool.Schedd, 2);
        Assert.NotNull(stopper);
        Assert.Equal(submitted.GetPrimaryKeyString(), JsonNode.Parse(stopper)!["taskforce_uuid"]!.GetValue<string>());
        Assert.Equal(TmsOutcome.Applied, await submitted.CondorRmAsync());
        Assert.Null(await cluster.Index.NextPendingStopperAsync(pool.Collector, pool.Schedd, 2));
    }

    [Fact]
    public async Task DeactivatingTwiceAnswersNoWorkflowAndChangesNothing()
    {
        var id = Build.WorkflowId();
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var created = await workflow.CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha, Build.Beta])));
        Assert.Equal(2, (await workflow.DeactivateAsync(Deactivation.Finished)).NTaskforces);
        var wf = (await workflow.GetAsync())!;
        var taskforces = await Task.WhenAll(created.Taskforces.Select(tf => Tf(tf.TaskforceUuid).GetAsync()));

        Assert.Null((await workflow.DeactivateAsync(Deactivation.Finished)).NTaskforces);
        Assert.Null((await workflow.DeactivateAsync(Deactivation.Aborted)).NTaskforces);

        var wfAgain = (await workflow.GetAsync())!;
        Assert.Equal(Deactivation.Finished, wfAgain.Deactivated);
        Assert.Equal(wf.DeactivatedTs, wfAgain.DeactivatedTs);
        var again = await Task.WhenAll(created.Taskforces.Select(tf => Tf(tf.TaskforceUuid).GetAsync()));
        Assert.Equal(taskforces.Select(t => WireJson.ToUtf8(t!)), again.Select(t => WireJson.ToUtf8(t!)));
    }

    [Fact]
    public async Task ARepeatedTaskforceDeactivationWithTheSameTimestampIsANoOpWithTheSameAnswer()
    {
        foreach (var (phase, moves) in new[] { (Phase.CondorSubmit, true), (Phase.CondorComplete, false) })
        {
            var tf = Build.Taskforce(phase, clusterId: 12);
            var grain = Tf(tf.TaskforceUuid);
            await grain.InitializeAsync(tf);

            Assert.Equal(moves, await grain.DeactivateAsync(1_700_000_000.25));
            var once = (await grain.GetAsync())!;
            Assert.Equal(tf.PhaseChangeLog.Count + 1, once.PhaseChangeLog.Count);
            var revision = cluster.Index.TaskforceRevision(tf.TaskforceUuid);

            Assert.Equal(moves, await grain.DeactivateAsync(1_700_000_000.25));

            Assert.Equal(WireJson.ToUtf8(once), WireJson.ToUtf8((await grain.GetAsync())!));
            Assert.Equal(revision, cluster.Index.TaskforceRevision(tf.TaskforceUuid));
        }
    }

    [Fact]
    public async Task AddWorkersToADeactivatedWorkflowIsRefused()
    {
        var id = Build.WorkflowId();
        var workflow = cluster.Client.GetGrain<IWorkflowGrain>(id);
        var created = await workflow.CreateNewAsync(Build.Workflow(Build.Task([Build.Alpha])));
        await workflow.DeactivateAsync(Deactivation.Aborted);

        var outcome = await workflow.AddWorkersAsync(created.TaskDirectives[0].TaskId, Build.Beta, 1);

        Assert.Equal(AddWorkersKind.WorkflowDeactivated, outcome.Kind);
        Assert.Null(outcome.Taskforce);
        Assert.Equal(AddWorkersKind.UnknownTask, (await workflow.AddWorkersAsync("TK-0-00000000-00000000", Build.Beta, 1)).Kind);
    }

    private ITaskforceGrain Tf(string uuid) => cluster.Client.GetGrain<ITaskforceGrain>(uuid);

    private async Task<string?[]> PhasesAsync(IEnumerable<TaskforceDocument> taskforces) =>
        (await Task.WhenAll(taskforces.Select(tf => Tf(tf.TaskforceUuid).GetAsync()))).Select(t => t?.Phase).ToArray();
}
