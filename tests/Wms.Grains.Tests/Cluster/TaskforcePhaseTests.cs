using Wms.Domain.Commands;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Grains.Tests.Support;
using Counts = System.Collections.Generic.Dictionary<string, long>;
using Statuses = System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, long>>;

namespace Wms.Grains.Tests.Cluster;

[Collection(FastClusterCollection.Name)]
public sealed class TaskforcePhaseTests(FastCluster cluster)
{
    public static TheoryData<string> AllPhases() => [.. Phase.All];

    public static TheoryData<string> AllButPendingStarter() => [.. Phase.All.Where(p => p != Phase.PendingStarter)];

    [Fact]
    public async Task CondorSubmitFromPendingStarterStoresTheClusterAndLogsOnce()
    {
        var (grain, tf) = await NewAsync(Phase.PendingStarter);
        var submission = Build.Submission(4242);

        Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitAsync(submission));

        var now = (await grain.GetAsync())!;
        Assert.Equal(Phase.CondorSubmit, now.Phase);
        Assert.Equal(4242, now.ClusterId);
        Assert.Equal(7, now.NWorkers);
        Assert.Equal(submission.JobEventLogFpath, now.JobEventLogFpath);
        Assert.Equal(submission.SubmitDict, now.SubmitDict);
        var entry = Assert.Single(now.PhaseChangeLog.Skip(tf.PhaseChangeLog.Count));
        Assert.Equal(Phase.CondorSubmit, entry.TargetPhase);
        Assert.True(entry.WasSuccessful);
        Assert.Equal(SourceEntity.Tms, entry.SourceEntity);
        Assert.Equal(WireJson.ToUtf8(now), await cluster.Index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
    }

    [Fact]
    public async Task ARepeatedIdenticalSubmitIsAcceptedWithoutASecondEntryOrWrite()
    {
        var (grain, tf) = await NewAsync(Phase.PendingStarter);
        Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitAsync(Build.Submission(77)));
        var once = (await grain.GetAsync())!;
        var revision = cluster.Index.TaskforceRevision(tf.TaskforceUuid);

        Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitAsync(Build.Submission(77)));

        var twice = (await grain.GetAsync())!;
        Assert.Equal(WireJson.ToUtf8(once), WireJson.ToUtf8(twice));
        Assert.Equal(revision, cluster.Index.TaskforceRevision(tf.TaskforceUuid));
        // A different cluster is not a repeat: the taskforce is no longer waiting to be started.
        Assert.Equal(TmsOutcome.WrongPhase, await grain.CondorSubmitAsync(Build.Submission(78)));
        Assert.Equal(77, (await grain.GetAsync())!.ClusterId);
    }

    [Fact]
    public async Task LateSubmitRecordsTheClusterForRemoval()
    {
        var (grain, tf) = await NewAsync(Phase.PendingStopper);
        var submission = Build.Submission(4343);

        Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitAsync(submission));
        Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitAsync(submission));

        var recorded = (await grain.GetAsync())!;
        Assert.Equal(Phase.PendingStopper, recorded.Phase);
        Assert.Equal(4343, recorded.ClusterId);
        Assert.Equal(submission.JobEventLogFpath, recorded.JobEventLogFpath);
        var entry = Assert.Single(recorded.PhaseChangeLog.Skip(tf.PhaseChangeLog.Count));
        Assert.Equal((Phase.CondorSubmit, false, SourceEntity.Tms), (entry.TargetPhase, entry.WasSuccessful, entry.SourceEntity));
        Assert.Contains("after the taskforce was stopped", entry.Description, StringComparison.Ordinal);
        // Recorded once: a second, different submit is refused as before.
        Assert.Equal(TmsOutcome.WrongPhase, await grain.CondorSubmitAsync(Build.Submission(4344)));
    }

    [Theory]
    [MemberData(nameof(AllButPendingStarter))]
    public async Task CondorSubmitAndItsFailureAreRefusedOutsidePendingStarter(string phase)
    {
        // A stopping taskforce takes a late submit while it has no cluster (LateSubmitRecordsTheClusterForRemoval).
        var (grain, tf) = await NewAsync(phase, phase == Phase.PendingStopper ? 99 : null);
        var revision = cluster.Index.TaskforceRevision(tf.TaskforceUuid);

        Assert.Equal(TmsOutcome.WrongPhase, await grain.CondorSubmitAsync(Build.Submission(5)));
        Assert.Equal(TmsOutcome.WrongPhase, await grain.CondorSubmitFailedAsync("boom"));

        Assert.Equal(WireJson.ToUtf8(tf), WireJson.ToUtf8((await grain.GetAsync())!));
        Assert.Equal(revision, cluster.Index.TaskforceRevision(tf.TaskforceUuid));
    }

    [Fact]
    public async Task ASubmitFailureInPendingStarterLogsTheErrorAndStays()
    {
        var (grain, tf) = await NewAsync(Phase.PendingStarter);

        Assert.Equal(TmsOutcome.Applied, await grain.CondorSubmitFailedAsync("schedd unreachable"));

        var now = (await grain.GetAsync())!;
        Assert.Equal(Phase.PendingStarter, now.Phase);
        var entry = Assert.Single(now.PhaseChangeLog.Skip(tf.PhaseChangeLog.Count));
        Assert.Equal((Phase.CondorSubmit, false, SourceEntity.Tms, "ERROR: schedd unreachable"),
            (entry.TargetPhase, entry.WasSuccessful, entry.SourceEntity, entry.Description));
        Assert.Null(now.ClusterId);
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public async Task RmRmFailedAndCompleteAreTakenInAnyPhase(string phase)
    {
        var (grain, tf) = await NewAsync(phase);
        var entries = tf.PhaseChangeLog.Count;

        Assert.Equal(TmsOutcome.Applied, await grain.CondorRmFailedAsync("permission denied"));
        var afterRmFailed = (await grain.GetAsync())!;
        Assert.Equal(phase, afterRmFailed.Phase);
        var failed = afterRmFailed.PhaseChangeLog[entries];
        Assert.Equal((Phase.CondorRm, false, SourceEntity.Tms, "ERROR: permission denied"),
            (failed.TargetPhase, failed.WasSuccessful, failed.SourceEntity, failed.Description));

        Assert.Equal(TmsOutcome.Applied, await grain.CondorRmAsync());
        var afterRm = (await grain.GetAsync())!;
        Assert.Equal(Phase.CondorRm, afterRm.Phase);
        // Already removed: the report is a repeat and logs nothing more.
        Assert.Equal(entries + (phase == Phase.CondorRm ? 1 : 2), afterRm.PhaseChangeLog.Count);
        Assert.Equal(phase != Phase.CondorRm, afterRm.PhaseChangeLog[^1].WasSuccessful);

        Assert.Equal(TmsOutcome.Applied, await grain.CondorCompleteAsync(1_700_000_000));
        var afterComplete = (await grain.GetAsync())!;
        Assert.Equal(Phase.CondorComplete, afterComplete.Phase);
        var complete = afterComplete.PhaseChangeLog[^1];
        Assert.Equal((Phase.CondorComplete, true, SourceEntity.Tms, 1_700_000_000d),
            (complete.TargetPhase, complete.WasSuccessful, complete.SourceEntity, complete.SourceEventTime));
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public async Task CondorCompleteIsTakenInAnyPhaseAndStoresTheEventTime(string phase)
    {
        var (grain, tf) = await NewAsync(phase);

        Assert.Equal(TmsOutcome.Applied, await grain.CondorCompleteAsync(1_650_000_123));

        var now = (await grain.GetAsync())!;
        Assert.Equal(Phase.CondorComplete, now.Phase);
        var entry = Assert.Single(now.PhaseChangeLog.Skip(tf.PhaseChangeLog.Count));
        Assert.Equal(1_650_000_123d, entry.SourceEventTime);
    }

    [Fact]
    public async Task ARepeatedRmOrCompleteAppendsNothing()
    {
        var (grain, _) = await NewAsync(Phase.CondorSubmit);
        await grain.CondorRmAsync();
        var removed = (await grain.GetAsync())!;
        Assert.Equal(TmsOutcome.Applied, await grain.CondorRmAsync());
        Assert.Equal(removed.PhaseChangeLog.Count, (await grain.GetAsync())!.PhaseChangeLog.Count);

        await grain.CondorCompleteAsync(1_700_000_001);
        var completed = (await grain.GetAsync())!;
        var revision = cluster.Index.TaskforceRevision(completed.TaskforceUuid);
        Assert.Equal(TmsOutcome.Applied, await grain.CondorCompleteAsync(1_700_000_001));
        Assert.Equal(WireJson.ToUtf8(completed), WireJson.ToUtf8((await grain.GetAsync())!));
        Assert.Equal(revision, cluster.Index.TaskforceRevision(completed.TaskforceUuid));

        // A different completion time is a different event.
        Assert.Equal(TmsOutcome.Applied, await grain.CondorCompleteAsync(1_700_000_002));
        Assert.Equal(completed.PhaseChangeLog.Count + 1, (await grain.GetAsync())!.PhaseChangeLog.Count);
    }

    [Fact]
    public async Task ACompletionRetriedAfterAnotherEntryIsStillRecognisedAsARepeat()
    {
        var (grain, _) = await NewAsync(Phase.CondorSubmit);
        await grain.CondorCompleteAsync(1_700_000_100);
        // Something else is logged in between, as a deactivation does for a finished taskforce ...
        Assert.False(await grain.DeactivateAsync(1_700_000_200.5));
        var between = (await grain.GetAsync())!;

        // ... and the TMS's retry of the same completion report arrives after it.
        Assert.Equal(TmsOutcome.Applied, await grain.CondorCompleteAsync(1_700_000_100));

        Assert.Equal(between.PhaseChangeLog.Count, (await grain.GetAsync())!.PhaseChangeLog.Count);
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public async Task StatusesReplaceWholesaleInAnyPhaseAndAnUnchangedReportWritesNothing(string phase)
    {
        var (grain, tf) = await NewAsync(phase);
        var first = new StatusUpdate(
            new Statuses
            {
                ["RUNNING"] = new Counts { ["Tasking"] = 3, ["null"] = 1 },
                ["IDLE"] = new Counts { ["null"] = 2 },
            },
            new Counts { ["HELD: Memory usage exceeds a memory limit"] = 4 });
        Assert.Equal(TmsOutcome.Applied, await grain.UpdateStatusesAsync(first));
        var once = (await grain.GetAsync())!;
        Assert.Equal(phase, once.Phase);
        Assert.Equal(tf.PhaseChangeLog.Count, once.PhaseChangeLog.Count);
        Assert.Equal(2, once.CompoundStatuses.Count);
        Assert.Equal(4, once.TopTaskErrors["HELD: Memory usage exceeds a memory limit"]);
        var revision = cluster.Index.TaskforceRevision(tf.TaskforceUuid);

        // The same content in new dictionaries changes nothing and writes nothing.
        var same = new StatusUpdate(
            new Statuses
            {
                ["IDLE"] = new Counts { ["null"] = 2 },
                ["RUNNING"] = new Counts { ["null"] = 1, ["Tasking"] = 3 },
            },
            new Counts { ["HELD: Memory usage exceeds a memory limit"] = 4 });
        Assert.Equal(TmsOutcome.Applied, await grain.UpdateStatusesAsync(same));
        Assert.Equal(revision, cluster.Index.TaskforceRevision(tf.TaskforceUuid));
        Assert.Equal(WireJson.ToUtf8(once), WireJson.ToUtf8((await grain.GetAsync())!));

        // A report of one field replaces that field whole and leaves the other alone.
        Assert.Equal(TmsOutcome.Applied,
            await grain.UpdateStatusesAsync(
                new StatusUpdate(new Statuses { ["DONE"] = new Counts { ["x.y: z"] = 9 } }, null)));
        var replaced = (await grain.GetAsync())!;
        Assert.Equal(["DONE"], replaced.CompoundStatuses.Keys);
        Assert.Equal(9, replaced.CompoundStatuses["DONE"]["x.y: z"]);
        Assert.Equal(once.TopTaskErrors, replaced.TopTaskErrors);
        Assert.True(cluster.Index.TaskforceRevision(tf.TaskforceUuid) > revision);

        Assert.Equal(TmsOutcome.Applied, await grain.UpdateStatusesAsync(new StatusUpdate(null, new Counts())));
        Assert.Empty((await grain.GetAsync())!.TopTaskErrors);
    }

    [Fact]
    public async Task EveryReportAboutAnUnknownTaskforceSaysSoAndCreatesNothing()
    {
        var uuid = Build.Taskforce(Phase.PendingStarter).TaskforceUuid;
        var grain = cluster.Client.GetGrain<ITaskforceGrain>(uuid);

        Assert.Equal(TmsOutcome.UnknownTaskforce, await grain.CondorSubmitAsync(Build.Submission()));
        Assert.Equal(TmsOutcome.UnknownTaskforce, await grain.CondorSubmitFailedAsync("x"));
        Assert.Equal(TmsOutcome.UnknownTaskforce, await grain.CondorRmAsync());
        Assert.Equal(TmsOutcome.UnknownTaskforce, await grain.CondorRmFailedAsync("x"));
        Assert.Equal(TmsOutcome.UnknownTaskforce, await grain.CondorCompleteAsync(1));
        Assert.Equal(TmsOutcome.UnknownTaskforce,
            await grain.UpdateStatusesAsync(new StatusUpdate(null, new Counts())));
        Assert.False(await grain.LaunchAsync());
        Assert.False(await grain.DeactivateAsync(1));
        Assert.False(await grain.ApplyMqActivationAsync([]));

        Assert.Null(await grain.GetAsync());
        Assert.Null(await cluster.Index.GetJsonAsync(ObjectKind.Taskforce, uuid));
        Assert.Empty(cluster.Index.BatchesWith(uuid));
    }

    [Fact]
    public async Task InitializeKeepsTheFirstDocument()
    {
        var (grain, tf) = await NewAsync(Phase.PendingStarter);
        await grain.InitializeAsync(tf with { Phase = Phase.CondorComplete, NWorkers = 1000 });
        Assert.Equal(WireJson.ToUtf8(tf), WireJson.ToUtf8((await grain.GetAsync())!));
        Assert.Equal(WireJson.ToUtf8(tf), await cluster.Index.GetJsonAsync(ObjectKind.Taskforce, tf.TaskforceUuid));
    }

    private async Task<(ITaskforceGrain Grain, TaskforceDocument Taskforce)> NewAsync(string phase, long? clusterId = null)
    {
        var tf = Build.Taskforce(phase, clusterId: clusterId ?? (phase is Phase.CondorSubmit or Phase.CondorRm ? 99 : null));
        var grain = cluster.Client.GetGrain<ITaskforceGrain>(tf.TaskforceUuid);
        await grain.InitializeAsync(tf);
        return (grain, tf);
    }
}
