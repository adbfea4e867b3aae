using Wms.Domain.Model;

namespace Wms.Domain.Rules;

/// <summary>
/// The facts about a taskforce that the TMS selections and launch control order by. <c>Priority</c> is the worker
/// priority (<c>worker_config.priority</c>); <c>TaskforcePriority</c> the taskforce's own.
/// </summary>
public sealed record TaskforceSelectionKeys(
    string Uuid, string Collector, string Schedd, string Phase, long Priority, int SubmitFailures, int RmFailures,
    bool HasClusterId, double Timestamp, int TaskforcePriority)
{
    public static TaskforceSelectionKeys From(TaskforceDocument tf) => new(
        tf.TaskforceUuid, tf.Collector, tf.Schedd, tf.Phase, tf.WorkerConfig.Priority,
        PhaseLog.FailureCount(tf.PhaseChangeLog, Model.Phase.CondorSubmit),
        PhaseLog.FailureCount(tf.PhaseChangeLog, Model.Phase.CondorRm),
        tf.ClusterId is not null, tf.Timestamp, tf.Priority);
}

/// <summary>Which taskforce the TMS, or launch control, is offered next; the SQL of other engines mirrors this.</summary>
public static class TaskforceSelection
{
    public static bool IsStartable(TaskforceSelectionKeys tf, int maxFailures) =>
        tf.Phase == Phase.PendingStarter && tf.SubmitFailures <= maxFailures;

    public static bool IsStoppable(TaskforceSelectionKeys tf, int maxFailures) =>
        tf.Phase == Phase.PendingStopper && tf.HasClusterId && tf.RmFailures <= maxFailures;

    /// <summary>The <c>/v0</c> poll: highest worker priority, then fewest failed submits, then oldest.</summary>
    public static readonly IComparer<TaskforceSelectionKeys> StarterOrder = Comparer<TaskforceSelectionKeys>.Create(
        (a, b) => Chain(b.Priority.CompareTo(a.Priority), a.SubmitFailures.CompareTo(b.SubmitFailures),
            a.Timestamp.CompareTo(b.Timestamp), string.CompareOrdinal(a.Uuid, b.Uuid)));

    /// <summary>
    /// The <c>/v1</c> poll, by schedd alone: highest taskforce priority, then fewest failed submits, then oldest.
    /// </summary>
    public static readonly IComparer<TaskforceSelectionKeys> ScheddStarterOrder = Comparer<TaskforceSelectionKeys>.Create(
        (a, b) => Chain(b.TaskforcePriority.CompareTo(a.TaskforcePriority), a.SubmitFailures.CompareTo(b.SubmitFailures),
            a.Timestamp.CompareTo(b.Timestamp), string.CompareOrdinal(a.Uuid, b.Uuid)));

    /// <summary>Oldest first.</summary>
    public static readonly IComparer<TaskforceSelectionKeys> StopperOrder = Comparer<TaskforceSelectionKeys>.Create(
        (a, b) => Chain(a.Timestamp.CompareTo(b.Timestamp), string.CompareOrdinal(a.Uuid, b.Uuid)));

    /// <summary>
    /// One queue for both generations: highest taskforce priority, then highest worker priority, then oldest.
    /// </summary>
    public static readonly IComparer<TaskforceSelectionKeys> LaunchOrder = Comparer<TaskforceSelectionKeys>.Create(
        (a, b) => Chain(b.TaskforcePriority.CompareTo(a.TaskforcePriority), b.Priority.CompareTo(a.Priority),
            a.Timestamp.CompareTo(b.Timestamp), string.CompareOrdinal(a.Uuid, b.Uuid)));

    private static int Chain(params ReadOnlySpan<int> comparisons)
    {
        foreach (var c in comparisons)
        {
            if (c != 0)
            {
                return c;
            }
        }
        return 0;
    }
}
