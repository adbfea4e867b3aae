using System.Text.Json.Nodes;
using Wms.Domain.Model;
using Wms.Domain.Rules;

namespace Wms.Domain.Explain;

/// <summary>What explanations read from a taskforce's <c>phase_change_log</c>: when it entered a phase, its failures.</summary>
public static class TaskforceLog
{
    /// <summary>When the taskforce last moved into its current phase; its creation when no entry says so.</summary>
    public static double EnteredCurrentPhaseTs(TaskforceDocument tf) => EnteredTs(tf, tf.Phase) ?? tf.Timestamp;

    /// <summary>When the taskforce last moved into <paramref name="phase"/>, or null when it never did.</summary>
    public static double? EnteredTs(TaskforceDocument tf, string phase) =>
        tf.PhaseChangeLog.LastOrDefault(e => e.WasSuccessful && e.TargetPhase == phase)?.Timestamp;

    /// <summary>The last successful entry: the move that put the taskforce where it is.</summary>
    public static PhaseChangeLogEntry? LastMove(TaskforceDocument tf) => tf.PhaseChangeLog.LastOrDefault(e => e.WasSuccessful);

    /// <summary>The phase the taskforce was in before its latest move, or null when it made none after creation.</summary>
    public static string? PhaseBeforeLastMove(TaskforceDocument tf)
    {
        var moves = tf.PhaseChangeLog.Where(e => e.WasSuccessful).ToList();
        return moves.Count < 2 ? null : moves[^2].TargetPhase;
    }

    /// <summary>The failed attempts to reach <paramref name="target"/>, newest first.</summary>
    public static IReadOnlyList<PhaseChangeLogEntry> FailuresNewestFirst(TaskforceDocument tf, string target) =>
        [.. tf.PhaseChangeLog.Where(e => e.TargetPhase == target && !e.WasSuccessful).Reverse()];

    /// <summary>
    /// When the failures of <paramref name="target"/> first went past <paramref name="limit"/> (the TMS stopped being
    /// offered the taskforce then); null while they have not.
    /// </summary>
    public static double? LimitPassedTs(TaskforceDocument tf, string target, int limit)
    {
        // Offered while the failures are at most the limit: the one after the limit's count ended that.
        var failures = tf.PhaseChangeLog.Where(e => e.TargetPhase == target && !e.WasSuccessful).ToList();
        var ending = Math.Max(limit, 0);
        return failures.Count > ending ? failures[ending].Timestamp : null;
    }

    /// <summary>A failed TMS report's error as the TMS gave it, without the log's <c>ERROR: </c> prefix.</summary>
    public static string ErrorOf(PhaseChangeLogEntry failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        const string prefix = "ERROR: ";
        return failure.Description.StartsWith(prefix, StringComparison.Ordinal)
            ? failure.Description[prefix.Length..]
            : failure.Description;
    }

    /// <summary>Failures as <c>[{timestamp, error}]</c>, in the order given.</summary>
    public static JsonArray ErrorsJson(IEnumerable<PhaseChangeLogEntry> failures) =>
        new([.. failures.Select(f => (JsonNode)new JsonObject { ["timestamp"] = f.Timestamp, ["error"] = ErrorOf(f) })]);

    /// <summary>How many attempts to reach <paramref name="target"/> failed.</summary>
    public static int FailureCount(TaskforceDocument tf, string target) => PhaseLog.FailureCount(tf.PhaseChangeLog, target);
}
