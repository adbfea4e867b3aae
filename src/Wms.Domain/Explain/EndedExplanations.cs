using System.Globalization;
using System.Text.Json.Nodes;
using Wms.Domain.Model;
using static Wms.Domain.Explain.ExplainText;

namespace Wms.Domain.Explain;

/// <summary>Taskforces that wait for nothing more, or only for HTCondor to clear what was removed.</summary>
public static class EndedExplanations
{
    /// <summary>
    /// The workflow was deactivated before this taskforce reached HTCondor: it went to pending-stopper with no
    /// cluster, which the TMS is never offered, and stays there for good.
    /// </summary>
    public static Explanation StoppedBeforeSubmit(TaskforceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var tf = facts.Taskforce;
        var wf = facts.Workflow;
        var stoppedIn = tf.Phase == Phase.PendingStopper ? TaskforceLog.PhaseBeforeLastMove(tf) : tf.Phase;
        var since = (tf.Phase == Phase.PendingStopper ? TaskforceLog.EnteredTs(tf, Phase.PendingStopper) : null)
            ?? wf.DeactivatedTs ?? TaskforceLog.EnteredCurrentPhaseTs(tf);
        var evidence = new JsonObject
        {
            ["deactivated"] = wf.Deactivated,
            ["deactivated_ts"] = wf.DeactivatedTs,
            ["stopped_in_phase"] = stoppedIn,
        };
        var how = wf.Deactivated switch
        {
            Deactivation.Aborted => "aborted",
            Deactivation.Finished => "marked finished",
            _ => "stopped",
        };
        var where = stoppedIn is null ? "" : $" (it was in '{stoppedIn}')";
        return new Explanation(ExplainReason.StoppedBeforeSubmit,
            $"The workflow was {how} at {Time(wf.DeactivatedTs ?? since)}, before this taskforce was submitted to HTCondor{where}: it will not run, and there is nothing to remove.",
            since, evidence, null);
    }

    public static Explanation Removed(TaskforceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var tf = facts.Taskforce;
        var removed = TaskforceLog.EnteredCurrentPhaseTs(tf);
        var evidence = new JsonObject
        {
            ["schedd"] = tf.Schedd,
            ["cluster_id"] = tf.ClusterId,
            ["removed_ts"] = removed,
        };
        return new Explanation(ExplainReason.Removed,
            string.Create(CultureInfo.InvariantCulture,
                $"The TMS at {tf.Schedd} removed HTCondor cluster {tf.ClusterId} at {Time(removed)}; it reports the cluster complete once HTCondor has cleared it."),
            removed, evidence, null);
    }

    public static Explanation Finished(TaskforceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var tf = facts.Taskforce;
        var move = TaskforceLog.LastMove(tf);
        var recorded = move is { TargetPhase: Phase.CondorComplete } ? move.Timestamp : TaskforceLog.EnteredCurrentPhaseTs(tf);
        var completed = move is { TargetPhase: Phase.CondorComplete, SourceEventTime: { } at } ? at : (double?)null;
        var evidence = new JsonObject
        {
            ["schedd"] = tf.Schedd,
            ["cluster_id"] = tf.ClusterId,
            ["condor_complete_ts"] = completed,
        };
        var what = tf.ClusterId is { } id
            ? string.Create(CultureInfo.InvariantCulture, $"HTCondor cluster {id} at {tf.Schedd}")
            : "This taskforce's HTCondor cluster";
        return new Explanation(ExplainReason.Finished,
            $"{what} completed at {Time(completed ?? recorded)}; this taskforce is done.", recorded, evidence, null);
    }
}
