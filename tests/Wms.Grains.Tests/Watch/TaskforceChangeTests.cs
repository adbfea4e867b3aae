using Wms.Domain.Model;
using Wms.Domain.Watch;
using Wms.GrainInterfaces.Watch;
using Wms.Grains.Tests.Support;

namespace Wms.Grains.Tests.Watch;

/// <summary>
/// The kind of a taskforce change a watcher is told: a phase move (with the phase before), a status report, or an
/// attempt logged without a move; and the summary carries what the taskforce is now.
/// </summary>
public sealed class TaskforceChangeTests
{
    private static readonly TaskforceDocument Submitted = Build.Taskforce(Phase.CondorSubmit, clusterId: 7);

    [Fact]
    public void ANewTaskforceIsAPhaseChangeFromNothing()
    {
        var summary = TaskforceSummary.Of(null, Submitted, 100, 1);

        Assert.Equal((TaskforceChange.Phase, (string?)null), (summary.Change, summary.PreviousPhase));
    }

    [Fact]
    public void AMoveNamesThePhaseBefore()
    {
        var before = Submitted with { Phase = Phase.PendingStarter, ClusterId = null };
        var summary = TaskforceSummary.Of(before, Submitted, 100, 2);

        Assert.Equal((TaskforceChange.Phase, Phase.PendingStarter, Phase.CondorSubmit, 7L),
            (summary.Change, summary.PreviousPhase, summary.Phase, summary.ClusterId!.Value));
    }

    [Fact]
    public void OtherStatusesOrErrorsAreAStatusChange()
    {
        var running = Submitted with { CompoundStatuses = Statuses(("RUNNING", "Tasking", 3)) };
        var more = running with { CompoundStatuses = Statuses(("RUNNING", "Tasking", 4)) };
        var erring = more with { TopTaskErrors = new Dictionary<string, long> { ["HELD: memory"] = 1 } };

        Assert.Equal(TaskforceChange.Status, TaskforceChange.Of(Submitted, running));
        Assert.Equal(TaskforceChange.Status, TaskforceChange.Of(running, more));
        Assert.Equal(TaskforceChange.Status, TaskforceChange.Of(more, erring));
        Assert.Equal(TaskforceChange.Status, TaskforceChange.Of(running, running with
        {
            CompoundStatuses = Statuses(("RUNNING", "Tasking", 3), ("IDLE", "null", 1)),
        }));
        var summary = TaskforceSummary.Of(more, erring, 100, 3);
        Assert.Null(summary.PreviousPhase);
        Assert.Equal(4, summary.CompoundStatuses["RUNNING"]["Tasking"]);
        Assert.Equal(1, summary.TopTaskErrors["HELD: memory"]);
    }

    [Fact]
    public void EqualStatusesInOtherMapsAreNoStatusChange()
    {
        var a = Submitted with { CompoundStatuses = Statuses(("RUNNING", "Tasking", 3)) };
        var b = a with
        {
            CompoundStatuses = Statuses(("RUNNING", "Tasking", 3)),
            PhaseChangeLog =
            [
                .. a.PhaseChangeLog,
                new PhaseChangeLogEntry
                {
                    TargetPhase = Phase.PendingStopper, Timestamp = 101, WasSuccessful = false, SourceEntity = "User",
                    Description = "refused",
                },
            ],
        };

        Assert.Equal(TaskforceChange.Log, TaskforceChange.Of(a, b));
    }

    [Fact]
    public void ASnapshotSummaryIsStampedWithItsNewestLogEntry()
    {
        var summary = TaskforceSummary.Snapshot(Submitted);

        Assert.Equal((TaskforceChange.Snapshot, (string?)null), (summary.Change, summary.PreviousPhase));
        Assert.Equal(Submitted.PhaseChangeLog[^1], summary.LastLog);
        Assert.Equal(Submitted.PhaseChangeLog[^1].Timestamp, summary.Timestamp);
    }

    private static Dictionary<string, IReadOnlyDictionary<string, long>> Statuses(params (string Status, string Pilot, long Count)[] counts) =>
        counts.GroupBy(c => c.Status).ToDictionary(g => g.Key,
            g => (IReadOnlyDictionary<string, long>)g.ToDictionary(c => c.Pilot, c => c.Count));
}
