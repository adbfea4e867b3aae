using System.Globalization;
using System.Text.Json.Nodes;
using Wms.Domain.Model;
using static Wms.Domain.Explain.ExplainText;

namespace Wms.Domain.Explain;

/// <summary>
/// The waits on a schedd's TMS: to take the taskforce (pending-starter) or to remove its cluster (pending-stopper).
/// The TMS polls for each kind of work every minute while it runs; one not heard from for longer than the
/// threshold looks down.
/// </summary>
public static class TmsExplanations
{
    public static Explanation Starter(TaskforceFacts facts, ExplainSettings settings, double now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var tf = facts.Taskforce;
        var offered = TaskforceLog.EnteredCurrentPhaseTs(tf);
        var failures = TaskforceLog.FailuresNewestFirst(tf, Phase.CondorSubmit);
        var limit = settings.TmsActionRetries;
        if (failures.Count > limit)
        {
            return SubmitRetryLimit(tf, failures, limit);
        }
        var poll = facts.LastStarterPollTs;
        var offeredSince = $"Offered to the TMS at {tf.Schedd} since {Time(offered)}";
        if (IsSilent(poll, offered, settings, now))
        {
            var evidence = Silence(tf.Schedd, Phase.PendingStarter, poll, settings, now);
            evidence["submit_failures"] = failures.Count;
            var message = poll is { } last
                ? $"{offeredSince}, but that TMS has not asked for work since {Time(last)} ({Duration(now - last)}): it looks down."
                : $"{offeredSince}, but this service has no record of that TMS ever asking for work: it looks down.";
            return new Explanation(ExplainReason.TmsNotPolling, message, Math.Max(offered, poll ?? offered), evidence,
                $"Ask the operators of {tf.Schedd} whether its TMS is running.");
        }
        var waiting = new JsonObject
        {
            ["schedd"] = tf.Schedd,
            ["last_poll_ts"] = poll,
            ["seconds_since_poll"] = SecondsSince(poll, now),
            ["submit_failures"] = failures.Count,
            ["last_submit_errors"] = TaskforceLog.ErrorsJson(failures),
        };
        var heard = poll is { } p
            ? $"{offeredSince}; that TMS last asked for work at {Time(p)} ({Duration(now - p)} ago), so it should take this taskforce with one of its next polls."
            : $"{offeredSince}; no poll from that TMS is on record yet.";
        if (failures.Count > 0)
        {
            heard += string.Create(CultureInfo.InvariantCulture,
                $" Its HTCondor submission failed {Count(failures.Count, "time")} so far, the last at {Time(failures[0].Timestamp)} ({TaskforceLog.ErrorOf(failures[0])}); after {Count(limit + 1, "failure")} it is no longer offered.");
        }
        return new Explanation(ExplainReason.WaitingForTms, heard, offered, waiting, null);
    }

    public static Explanation Stopper(TaskforceFacts facts, ExplainSettings settings, double now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var tf = facts.Taskforce;
        var stopped = TaskforceLog.EnteredTs(tf, Phase.PendingStopper) ?? facts.Workflow.DeactivatedTs ?? tf.Timestamp;
        var cluster = string.Create(CultureInfo.InvariantCulture, $"HTCondor cluster {tf.ClusterId}");
        var failures = TaskforceLog.FailuresNewestFirst(tf, Phase.CondorRm);
        var limit = settings.TmsActionRetries;
        if (failures.Count > limit)
        {
            var given = new JsonObject
            {
                ["schedd"] = tf.Schedd,
                ["cluster_id"] = tf.ClusterId,
                ["rm_failures"] = failures.Count,
                ["limit"] = limit,
                ["errors"] = TaskforceLog.ErrorsJson(failures),
            };
            var message = string.Create(CultureInfo.InvariantCulture,
                $"The TMS at {tf.Schedd} failed to remove {cluster} {Count(failures.Count, "time")}, the last at {Time(failures[0].Timestamp)}. After more than {limit} failed removals (TMS_ACTION_RETRIES) the TMS is no longer asked to, so the cluster may still hold workers.");
            return new Explanation(ExplainReason.RmRetryLimit, message,
                TaskforceLog.LimitPassedTs(tf, Phase.CondorRm, limit) ?? failures[0].Timestamp, given,
                $"Ask the operators of {tf.Schedd} to remove {cluster} by hand.");
        }
        var poll = facts.LastStopperPollTs;
        if (IsSilent(poll, stopped, settings, now))
        {
            var evidence = Silence(tf.Schedd, Phase.PendingStopper, poll, settings, now);
            evidence["cluster_id"] = tf.ClusterId;
            var message = poll is { } last
                ? $"Stopped at {Time(stopped)}, but the TMS at {tf.Schedd}, which is to remove {cluster}, has not asked for work since {Time(last)} ({Duration(now - last)}): it looks down."
                : $"Stopped at {Time(stopped)}, but this service has no record of the TMS at {tf.Schedd}, which is to remove {cluster}, ever asking for work: it looks down.";
            return new Explanation(ExplainReason.TmsNotPolling, message, Math.Max(stopped, poll ?? stopped), evidence,
                $"Ask the operators of {tf.Schedd} whether its TMS is running; until it is, {cluster} keeps its workers.");
        }
        var pending = new JsonObject
        {
            ["schedd"] = tf.Schedd,
            ["cluster_id"] = tf.ClusterId,
            ["last_poll_ts"] = poll,
            ["seconds_since_poll"] = SecondsSince(poll, now),
            ["rm_failures"] = failures.Count,
        };
        var heard = poll is { } p
            ? $"it last asked for work at {Time(p)}, {Duration(now - p)} ago"
            : "no poll from it is on record yet";
        return new Explanation(ExplainReason.RemovalPending,
            $"Stopped at {Time(stopped)}; the TMS at {tf.Schedd} is to remove {cluster} with one of its next polls ({heard}).",
            stopped, pending, null);
    }

    private static Explanation SubmitRetryLimit(
        TaskforceDocument tf, IReadOnlyList<PhaseChangeLogEntry> failures, int limit)
    {
        var evidence = new JsonObject
        {
            ["schedd"] = tf.Schedd,
            ["submit_failures"] = failures.Count,
            ["limit"] = limit,
            ["errors"] = TaskforceLog.ErrorsJson(failures),
        };
        var message = string.Create(CultureInfo.InvariantCulture,
            $"The TMS at {tf.Schedd} failed to submit this taskforce to HTCondor {Count(failures.Count, "time")}, the last at {Time(failures[0].Timestamp)} ({TaskforceLog.ErrorOf(failures[0])}). After more than {limit} failed submissions (TMS_ACTION_RETRIES) a taskforce is no longer offered, so this one will not start.");
        return new Explanation(ExplainReason.SubmitRetryLimit, message,
            TaskforceLog.LimitPassedTs(tf, Phase.CondorSubmit, limit) ?? failures[0].Timestamp, evidence,
            "Fix what the errors point to, then add workers to this task at this location (add-workers) or submit the workflow again; this taskforce stays as it is.");
    }

    /// <summary>
    /// Silent for longer than the threshold. A TMS never heard from is judged from when the wait began instead, so
    /// that a taskforce offered a moment ago does not call a TMS down before it could have polled.
    /// </summary>
    private static bool IsSilent(double? lastPoll, double waitBegan, ExplainSettings settings, double now) =>
        now - (lastPoll ?? waitBegan) > settings.TmsSilentAfter.TotalSeconds;

    private static JsonObject Silence(string schedd, string kind, double? lastPoll, ExplainSettings settings, double now) =>
        new()
        {
            ["schedd"] = schedd,
            ["kind"] = kind,
            ["last_poll_ts"] = lastPoll,
            ["seconds_since_poll"] = SecondsSince(lastPoll, now),
            ["threshold_seconds"] = settings.TmsSilentAfter.TotalSeconds,
        };

    private static long? SecondsSince(double? lastPoll, double now) =>
        lastPoll is { } at ? (long)Math.Round(Math.Max(0, now - at)) : null;
}
