using System.Globalization;
using System.Text.Json.Nodes;
using Wms.Domain.Index;
using static Wms.Domain.Explain.ExplainText;

namespace Wms.Domain.Explain;

/// <summary>
/// A submitted taskforce, read from what the TMS last reported of its HTCondor cluster: its workers by status and
/// its top task errors. When each state began comes from the status history, where it is kept.
/// </summary>
public static class ClusterExplanations
{
    /// <summary>How many of the top task errors a message names; the evidence holds them all.</summary>
    public const int ErrorsNamed = 3;

    public static Explanation Submitted(TaskforceFacts facts)
    {
        ArgumentNullException.ThrowIfNull(facts);
        var tf = facts.Taskforce;
        var submitted = TaskforceLog.EnteredCurrentPhaseTs(tf);
        var cluster = string.Create(CultureInfo.InvariantCulture, $"HTCondor cluster {tf.ClusterId} at {tf.Schedd}");
        var evidence = new JsonObject
        {
            ["schedd"] = tf.Schedd,
            ["cluster_id"] = tf.ClusterId,
            ["n_workers"] = tf.NWorkers,
            ["submitted_ts"] = submitted,
        };
        var counts = WorkerCounts.Of(tf.CompoundStatuses);
        var reason = ReasonOf(counts, Reported(tf.CompoundStatuses.Count, tf.TopTaskErrors.Count));
        if (reason == ExplainReason.SubmittedNoReport)
        {
            return new Explanation(ExplainReason.SubmittedNoReport,
                $"Submitted to HTCondor as cluster {tf.ClusterId} at {tf.Schedd} at {Time(submitted)}; the TMS has not reported on its workers yet (it reports every few minutes).",
                submitted, evidence, null);
        }
        evidence["compound_statuses"] = WorkerCounts.Json(tf.CompoundStatuses);
        evidence["running"] = counts.Running;
        evidence["idle"] = counts.Idle;
        evidence["held"] = counts.Held;
        evidence["last_report_ts"] = facts.StatusHistory.Count == 0 ? null : facts.StatusHistory[^1].Timestamp;
        var others = string.Create(CultureInfo.InvariantCulture, $"{counts.Running} running, {counts.Idle} idle");
        if (reason == ExplainReason.WorkersHeld)
        {
            evidence["top_task_errors"] = WorkerCounts.Json(tf.TopTaskErrors);
            var since = Since(facts, IsHeld) ?? submitted;
            return new Explanation(ExplainReason.WorkersHeld,
                $"{cluster} holds {Count(counts.Held, "worker")} since {Time(since)} ({others}). {TopErrors(tf.TopTaskErrors)}",
                since, evidence,
                "Held workers do not run. Read the errors: a worker held for its memory, disk or runtime needs a larger worker_config; abort the workflow and submit it again with one.");
        }
        if (reason == ExplainReason.Running)
        {
            var since = Since(facts, c => c.Running > 0 && !IsHeld(c)) ?? submitted;
            return new Explanation(ExplainReason.Running,
                string.Create(CultureInfo.InvariantCulture,
                    $"{cluster} runs {Count(counts.Running, "worker")} since {Time(since)} ({counts.Idle} idle, {counts.Held} held), as the TMS last reported."),
                since, evidence, null);
        }
        if (reason == ExplainReason.WorkersIdle)
        {
            var since = Since(facts, c => c.Idle > 0 && c.Running == 0 && c.Held == 0) ?? submitted;
            return new Explanation(ExplainReason.WorkersIdle,
                $"{cluster} has {Count(counts.Idle, "worker")} waiting for a slot since {Time(since)}, and none running: HTCondor starts them when the pool has room for their worker_config.",
                since, evidence, null);
        }
        var none = Since(facts, c => c.Running == 0 && c.Idle == 0 && c.Held == 0) ?? submitted;
        var reported = string.Join(", ", tf.CompoundStatuses.Select(s =>
            string.Create(CultureInfo.InvariantCulture, $"{s.Key} {s.Value.Values.Sum()}")));
        return new Explanation(ExplainReason.NoActiveWorkers,
            $"{cluster} has no worker running, waiting or held since {Time(none)} (the TMS last reported: {reported}); the TMS reports the cluster complete once HTCondor is done with it.",
            none, evidence, null);
    }

    /// <summary>
    /// The reason of a submitted taskforce (its HTCondor cluster known), which depends on the TMS's latest report
    /// alone: a watcher that knows it need not ask the explainer again after a report in the same state.
    /// </summary>
    /// <param name="counts">The workers by status, from the report.</param>
    /// <param name="reported">Whether the TMS has reported anything (statuses or task errors).</param>
    public static string ReasonOf(WorkerCounts counts, bool reported)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (!reported)
        {
            return ExplainReason.SubmittedNoReport;
        }
        if (IsHeld(counts))
        {
            return ExplainReason.WorkersHeld;
        }
        return counts.Running > 0 ? ExplainReason.Running
            : counts.Idle > 0 ? ExplainReason.WorkersIdle
            : ExplainReason.NoActiveWorkers;
    }

    /// <summary>Whether the TMS has reported on a cluster: some statuses or some task errors.</summary>
    public static bool Reported(int statusCount, int errorCount) => statusCount > 0 || errorCount > 0;

    /// <summary>At least as many workers held as running: the cluster mostly waits on its errors.</summary>
    public static bool IsHeld(WorkerCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return counts.Held > 0 && counts.Held >= counts.Running;
    }

    /// <summary>
    /// When the reports began to show <paramref name="state"/>: the first entry of the history's last unbroken run
    /// of entries in that state. Null when the history does not end in it (none kept, or the latest report not
    /// written yet).
    /// </summary>
    public static double? Since(TaskforceFacts facts, Func<WorkerCounts, bool> state)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(state);
        double? since = null;
        for (var i = facts.StatusHistory.Count - 1; i >= 0; i--)
        {
            StatusHistoryEntry entry = facts.StatusHistory[i];
            if (!state(WorkerCounts.Of(entry.CompoundStatuses)))
            {
                break;
            }
            since = entry.Timestamp;
        }
        return since;
    }

    private static string TopErrors(IReadOnlyDictionary<string, long> errors)
    {
        if (errors.Count == 0)
        {
            return "The TMS reported no task errors.";
        }
        var named = errors.OrderByDescending(e => e.Value).ThenBy(e => e.Key, StringComparer.Ordinal).Take(ErrorsNamed)
            .Select(e => string.Create(CultureInfo.InvariantCulture, $"\"{e.Key}\" ({e.Value})")).ToList();
        return $"The top errors the TMS reported: {List(named)}.";
    }
}
