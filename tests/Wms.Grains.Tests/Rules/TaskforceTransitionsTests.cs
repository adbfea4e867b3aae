using Wms.Domain.Commands;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.Grains.Tests.Support;
using Counts = System.Collections.Generic.Dictionary<string, long>;
using Statuses = System.Collections.Generic.Dictionary<string, System.Collections.Generic.IReadOnlyDictionary<string, long>>;

namespace Wms.Grains.Tests.Rules;

public sealed class TaskforceTransitionsTests
{
    private const double Now = 1_700_000_000.5;

    public static TheoryData<string> AllPhases() => [.. Phase.All];

    [Theory]
    [MemberData(nameof(AllPhases))]
    public void MqActivationAppliesOnlyBeforeActivation(string phase)
    {
        var tf = Build.Taskforce(phase);
        var queues = new Dictionary<string, ConfigValue> { ["EWMS_PILOT_QUEUE_INCOMING"] = ConfigValue.Of(["mq1"]) };

        var next = TaskforceTransitions.ApplyMqActivation(tf, queues, Now);

        if (phase != Phase.PreMqActivation)
        {
            Assert.Null(next);
            return;
        }
        Assert.NotNull(next);
        Assert.Equal(Phase.PreLaunch, next.Phase);
        Assert.Equal(ConfigValue.Of(["mq1"]), next.PilotConfig.Environment["EWMS_PILOT_QUEUE_INCOMING"]);
        Assert.Equal(tf.PilotConfig.Environment.Count + 1, next.PilotConfig.Environment.Count);
        Assert.False(tf.PilotConfig.Environment.ContainsKey("EWMS_PILOT_QUEUE_INCOMING"));
        AssertAppended(tf, next, Phase.PreLaunch, true, SourceEntity.WorkflowMqActivator);
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public void LaunchAppliesOnlyInPreLaunch(string phase)
    {
        var tf = Build.Taskforce(phase);
        var next = TaskforceTransitions.Launch(tf, Now);
        if (phase != Phase.PreLaunch)
        {
            Assert.Null(next);
            return;
        }
        Assert.Equal(Phase.PendingStarter, next!.Phase);
        AssertAppended(tf, next, Phase.PendingStarter, true, SourceEntity.TaskforceLaunchControl);
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public void DeactivateRefusesEndingPhasesAndMovesTheRest(string phase)
    {
        var tf = Build.Taskforce(phase);
        var (next, moved) = TaskforceTransitions.Deactivate(tf, Now);
        var ending = phase is Phase.PendingStopper or Phase.CondorRm or Phase.CondorComplete;
        Assert.Equal(!ending, moved);
        Assert.Equal(ending ? phase : Phase.PendingStopper, next.Phase);
        AssertAppended(tf, next, Phase.PendingStopper, !ending, SourceEntity.User);
    }

    [Fact]
    public void ALateSubmitIsRecordedWhileStopping()
    {
        var tf = Build.Taskforce(Phase.PendingStopper);
        var submission = Build.Submission(32);

        var recorded = TaskforceTransitions.CondorSubmit(tf, submission, Now);

        Assert.Equal(Phase.PendingStopper, recorded!.Phase);
        Assert.Equal(32, recorded.ClusterId);
        Assert.False(recorded.PhaseChangeLog[^1].WasSuccessful);
        Assert.Equal(Phase.CondorSubmit, recorded.PhaseChangeLog[^1].TargetPhase);
        Assert.True(TaskforceTransitions.IsRepeatedSubmit(recorded, submission));
        Assert.Null(TaskforceTransitions.CondorSubmit(recorded, Build.Submission(33), Now));
        Assert.Null(TaskforceTransitions.CondorSubmitFailed(tf, "nope", Now));
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public void SubmitAndSubmitFailedApplyOnlyInPendingStarter(string phase)
    {
        // A stopping taskforce without a cluster takes a late submit: ALateSubmitIsRecordedWhileStopping.
        var tf = Build.Taskforce(phase, clusterId: phase == Phase.PendingStopper ? 99 : null);
        var submission = Build.Submission(31);
        var submitted = TaskforceTransitions.CondorSubmit(tf, submission, Now);
        var failed = TaskforceTransitions.CondorSubmitFailed(tf, "nope", Now);
        if (phase != Phase.PendingStarter)
        {
            Assert.Null(submitted);
            Assert.Null(failed);
            return;
        }
        Assert.Equal(Phase.CondorSubmit, submitted!.Phase);
        Assert.Equal(31, submitted.ClusterId);
        Assert.Equal(submission.NWorkers, submitted.NWorkers);
        Assert.Equal(submission.JobEventLogFpath, submitted.JobEventLogFpath);
        Assert.Same(submission.SubmitDict, submitted.SubmitDict);
        AssertAppended(tf, submitted, Phase.CondorSubmit, true, SourceEntity.Tms);

        Assert.Equal(Phase.PendingStarter, failed!.Phase);
        AssertAppended(tf, failed, Phase.CondorSubmit, false, SourceEntity.Tms);
        Assert.Equal("ERROR: nope", failed.PhaseChangeLog[^1].Description);
    }

    [Fact]
    public void ARepeatedSubmitIsRecognisedByClusterAndEventLog()
    {
        var submission = Build.Submission(8);
        var submitted = TaskforceTransitions.CondorSubmit(Build.Taskforce(Phase.PendingStarter), submission, Now)!;

        Assert.True(TaskforceTransitions.IsRepeatedSubmit(submitted, submission));
        Assert.True(TaskforceTransitions.IsRepeatedSubmit(submitted, submission with { NWorkers = 1 }));
        Assert.False(TaskforceTransitions.IsRepeatedSubmit(submitted, Build.Submission(9)));
        Assert.False(TaskforceTransitions.IsRepeatedSubmit(submitted, submission with { JobEventLogFpath = "/other" }));
        Assert.False(TaskforceTransitions.IsRepeatedSubmit(Build.Taskforce(Phase.PendingStarter), submission));
        // A submit whose answer was lost may be retried after the taskforce moved on; it is still the same one.
        var removed = TaskforceTransitions.CondorRm(submitted, Now)!;
        Assert.True(TaskforceTransitions.IsRepeatedSubmit(removed, submission));
        Assert.False(TaskforceTransitions.IsRepeatedSubmit(removed, Build.Submission(9)));
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public void RmAndRmFailedApplyInAnyPhaseButARepeatedRmChangesNothing(string phase)
    {
        var tf = Build.Taskforce(phase);
        var failed = TaskforceTransitions.CondorRmFailed(tf, "denied", Now);
        Assert.Equal(phase, failed.Phase);
        AssertAppended(tf, failed, Phase.CondorRm, false, SourceEntity.Tms);
        Assert.Equal("ERROR: denied", failed.PhaseChangeLog[^1].Description);

        var removed = TaskforceTransitions.CondorRm(tf, Now);
        if (phase == Phase.CondorRm)
        {
            Assert.Null(removed);
            return;
        }
        Assert.Equal(Phase.CondorRm, removed!.Phase);
        AssertAppended(tf, removed, Phase.CondorRm, true, SourceEntity.Tms);
        Assert.Null(TaskforceTransitions.CondorRm(removed, Now + 1));
    }

    [Theory]
    [MemberData(nameof(AllPhases))]
    public void CompleteAppliesInAnyPhaseWithTheEventTime(string phase)
    {
        var tf = Build.Taskforce(phase);
        var done = TaskforceTransitions.CondorComplete(tf, 1_600_000_000, Now)!;
        Assert.Equal(Phase.CondorComplete, done.Phase);
        AssertAppended(tf, done, Phase.CondorComplete, true, SourceEntity.Tms);
        Assert.Equal(1_600_000_000d, done.PhaseChangeLog[^1].SourceEventTime);

        Assert.Null(TaskforceTransitions.CondorComplete(done, 1_600_000_000, Now + 1));
        Assert.NotNull(TaskforceTransitions.CondorComplete(done, 1_600_000_001, Now + 1));
        var refused = TaskforceTransitions.Deactivate(done, Now + 2).Document;
        var rmFailed = TaskforceTransitions.CondorRmFailed(refused, "x", Now + 3);
        Assert.Null(TaskforceTransitions.CondorComplete(rmFailed, 1_600_000_000, Now + 4));
    }

    [Fact]
    public void ACompletionAfterARemovalIsANewEventEvenWithTheSameTime()
    {
        var done = TaskforceTransitions.CondorComplete(Build.Taskforce(Phase.CondorSubmit), 5, Now)!;
        var removed = TaskforceTransitions.CondorRm(done, Now + 1)!;
        var again = TaskforceTransitions.CondorComplete(removed, 5, Now + 2);
        Assert.NotNull(again);
        Assert.Equal(Phase.CondorComplete, again.Phase);
    }

    [Fact]
    public void StatusesReplaceOnlyTheReportedFieldsAndAnIdenticalReportIsNoChange()
    {
        var tf = Build.Taskforce(Phase.CondorSubmit);
        var update = new StatusUpdate(
            new Statuses { ["RUNNING"] = new Counts { ["null"] = 2 } }, new Counts { ["E: x"] = 1 });

        var next = TaskforceTransitions.UpdateStatuses(tf, update)!;
        Assert.Equal(2, next.CompoundStatuses["RUNNING"]["null"]);
        Assert.Equal(1, next.TopTaskErrors["E: x"]);
        Assert.Equal(tf.PhaseChangeLog, next.PhaseChangeLog);
        Assert.Equal(tf.Phase, next.Phase);

        Assert.Null(TaskforceTransitions.UpdateStatuses(next, new StatusUpdate(
            new Statuses { ["RUNNING"] = new Counts { ["null"] = 2 } }, new Counts { ["E: x"] = 1 })));
        Assert.Null(TaskforceTransitions.UpdateStatuses(next, new StatusUpdate(null, null)));
        Assert.Null(TaskforceTransitions.UpdateStatuses(next, new StatusUpdate(null, new Counts { ["E: x"] = 1 })));

        var changedCount = TaskforceTransitions.UpdateStatuses(next, new StatusUpdate(
            new Statuses { ["RUNNING"] = new Counts { ["null"] = 3 } }, null))!;
        Assert.Equal(3, changedCount.CompoundStatuses["RUNNING"]["null"]);
        Assert.Same(next.TopTaskErrors, changedCount.TopTaskErrors);

        var renamed = TaskforceTransitions.UpdateStatuses(next, new StatusUpdate(
            new Statuses { ["RUNNING"] = new Counts { ["Tasking"] = 2 } }, null))!;
        Assert.Equal(["Tasking"], renamed.CompoundStatuses["RUNNING"].Keys);

        var emptied = TaskforceTransitions.UpdateStatuses(next, new StatusUpdate(new Statuses(), new Counts()))!;
        Assert.Empty(emptied.CompoundStatuses);
        Assert.Empty(emptied.TopTaskErrors);
    }

    [Fact]
    public void TransitionsNeverChangeTheirInput()
    {
        var tf = Build.Taskforce(Phase.PendingStarter);
        var before = WireJson.ToUtf8(tf);

        TaskforceTransitions.CondorSubmit(tf, Build.Submission(), Now);
        TaskforceTransitions.CondorSubmitFailed(tf, "x", Now);
        TaskforceTransitions.CondorRm(tf, Now);
        TaskforceTransitions.CondorRmFailed(tf, "x", Now);
        TaskforceTransitions.CondorComplete(tf, 1, Now);
        TaskforceTransitions.Deactivate(tf, Now);
        TaskforceTransitions.UpdateStatuses(
            tf, new StatusUpdate(new Statuses { ["A"] = new Counts { ["b"] = 1 } }, null));

        Assert.Equal(before, WireJson.ToUtf8(tf));
    }

    private static void AssertAppended(
        TaskforceDocument before, TaskforceDocument after, string target, bool ok, string source)
    {
        Assert.Equal(before.PhaseChangeLog.Count + 1, after.PhaseChangeLog.Count);
        Assert.Equal(before.PhaseChangeLog, after.PhaseChangeLog.Take(before.PhaseChangeLog.Count));
        var entry = after.PhaseChangeLog[^1];
        Assert.Equal((target, ok, source, Now), (entry.TargetPhase, entry.WasSuccessful, entry.SourceEntity, entry.Timestamp));
        Assert.False(string.IsNullOrEmpty(entry.Description));
    }
}
