using Wms.Domain.Commands;
using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>
/// Every phase change a taskforce can make, as pure functions from the old document to the new one. Each returns
/// null when the change does not apply, so the grain knows to leave its state alone.
/// </summary>
public static class TaskforceTransitions
{
    public static TaskforceDocument? ApplyMqActivation(
        TaskforceDocument tf, IReadOnlyDictionary<string, ConfigValue> queueEnvironment, double now)
    {
        if (tf.Phase != Phase.PreMqActivation)
        {
            return null;
        }
        var environment = new Dictionary<string, ConfigValue>(tf.PilotConfig.Environment);
        foreach (var (name, value) in queueEnvironment)
        {
            environment[name] = value;
        }
        return Move(tf, Phase.PreLaunch, now, SourceEntity.WorkflowMqActivator, "The workflow's queues were activated.")
            with
        { PilotConfig = tf.PilotConfig with { Environment = environment } };
    }

    public static TaskforceDocument? Launch(TaskforceDocument tf, double now) =>
        tf.Phase == Phase.PreLaunch
            ? Move(tf, Phase.PendingStarter, now, SourceEntity.TaskforceLaunchControl, "Released to the TMS for starting.")
            : null;

    /// <summary>
    /// A deactivation reaching one taskforce: one already ending or finished logs a refused stop, any other moves
    /// to pending-stopper. Returns the new document and whether it moved.
    /// </summary>
    public static (TaskforceDocument Document, bool Moved) Deactivate(TaskforceDocument tf, double now, string? caller = null)
    {
        if (Phase.IsEndingOrFinished(tf.Phase))
        {
            var refused = PhaseLog.Entry(Phase.PendingStopper, now, false, SourceEntity.User,
                PhaseLog.By($"The workflow was deactivated, but the taskforce was already in '{tf.Phase}'.", caller));
            return (tf with { PhaseChangeLog = PhaseLog.Append(tf.PhaseChangeLog, refused) }, false);
        }
        return (Move(tf, Phase.PendingStopper, now, SourceEntity.User, PhaseLog.By("The workflow was deactivated.", caller)), true);
    }

    /// <summary>Null when the taskforce is not waiting to be started.</summary>
    public static TaskforceDocument? CondorSubmit(TaskforceDocument tf, CondorSubmission submission, double now)
    {
        if (tf.Phase == Phase.PendingStopper && tf.ClusterId is null)
        {
            // Stopped between the TMS's last look and its submit: the cluster exists all the same, and only a record
            // of it lets the next pending-stopper poll offer it for removal. The taskforce stays where it is.
            return Log(tf, PhaseLog.Entry(Phase.CondorSubmit, now, false, SourceEntity.Tms, PhaseLog.By(
                "The TMS submitted the HTCondor cluster after the taskforce was stopped; it is recorded for removal.",
                submission.Caller))) with
            {
                ClusterId = submission.ClusterId,
                NWorkers = submission.NWorkers,
                SubmitDict = submission.SubmitDict,
                JobEventLogFpath = submission.JobEventLogFpath,
            };
        }
        if (tf.Phase != Phase.PendingStarter)
        {
            return null;
        }
        return Move(tf, Phase.CondorSubmit, now, SourceEntity.Tms,
            PhaseLog.By("The TMS submitted the HTCondor cluster.", submission.Caller)) with
        {
            ClusterId = submission.ClusterId,
            NWorkers = submission.NWorkers,
            SubmitDict = submission.SubmitDict,
            JobEventLogFpath = submission.JobEventLogFpath,
        };
    }

    /// <summary>
    /// True when the taskforce already took exactly this submission, whatever happened since: a retried request
    /// whose first answer was lost. Only a submission records a cluster.
    /// </summary>
    public static bool IsRepeatedSubmit(TaskforceDocument tf, CondorSubmission submission) =>
        tf.ClusterId is { } clusterId && clusterId == submission.ClusterId &&
        tf.JobEventLogFpath == submission.JobEventLogFpath;

    public static TaskforceDocument? CondorSubmitFailed(TaskforceDocument tf, string error, double now, string? caller = null) =>
        tf.Phase == Phase.PendingStarter
            ? Log(tf, PhaseLog.Entry(Phase.CondorSubmit, now, false, SourceEntity.Tms, PhaseLog.By($"ERROR: {error}", caller)))
            : null;

    /// <summary>Null when the taskforce was already removed by an earlier, identical report.</summary>
    public static TaskforceDocument? CondorRm(TaskforceDocument tf, double now, string? caller = null) =>
        tf.Phase == Phase.CondorRm
            ? null
            : Move(tf, Phase.CondorRm, now, SourceEntity.Tms, PhaseLog.By("The TMS removed the HTCondor cluster.", caller));

    public static TaskforceDocument CondorRmFailed(TaskforceDocument tf, string error, double now, string? caller = null) =>
        Log(tf, PhaseLog.Entry(Phase.CondorRm, now, false, SourceEntity.Tms, PhaseLog.By($"ERROR: {error}", caller)));

    /// <summary>
    /// Null when this completion was already recorded: a retried request. The move that made the taskforce
    /// complete is found past any failed entries logged since (a deactivation's refusal, a failed rm).
    /// </summary>
    public static TaskforceDocument? CondorComplete(
        TaskforceDocument tf, long condorCompleteTs, double now, string? caller = null)
    {
        var lastMove = tf.PhaseChangeLog.LastOrDefault(e => e.WasSuccessful);
        if (tf.Phase == Phase.CondorComplete && lastMove is { TargetPhase: Phase.CondorComplete } &&
            lastMove.SourceEventTime == condorCompleteTs)
        {
            return null;
        }
        return Move(tf, Phase.CondorComplete, now, SourceEntity.Tms,
            PhaseLog.By("The HTCondor cluster completed.", caller), condorCompleteTs);
    }

    /// <summary>Replaces the reported fields wholesale, in any phase; null when nothing would change.</summary>
    public static TaskforceDocument? UpdateStatuses(TaskforceDocument tf, StatusUpdate update)
    {
        var compound = update.CompoundStatuses ?? tf.CompoundStatuses;
        var errors = update.TopTaskErrors ?? tf.TopTaskErrors;
        if (SameStatuses(compound, tf.CompoundStatuses) && SameCounts(errors, tf.TopTaskErrors))
        {
            return null;
        }
        return tf with { CompoundStatuses = compound, TopTaskErrors = errors };
    }

    private static TaskforceDocument Move(
        TaskforceDocument tf, string target, double now, string source, string description, double? sourceEventTime = null) =>
        Log(tf, PhaseLog.Entry(target, now, true, source, description, sourceEventTime)) with { Phase = target };

    private static TaskforceDocument Log(TaskforceDocument tf, PhaseChangeLogEntry entry) =>
        tf with { PhaseChangeLog = PhaseLog.Append(tf.PhaseChangeLog, entry) };

    private static bool SameStatuses(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> a,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> b) =>
        ReferenceEquals(a, b) ||
        (a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && SameCounts(kv.Value, other)));

    private static bool SameCounts(IReadOnlyDictionary<string, long> a, IReadOnlyDictionary<string, long> b) =>
        ReferenceEquals(a, b) ||
        (a.Count == b.Count && a.All(kv => b.TryGetValue(kv.Key, out var other) && other == kv.Value));
}
