using Wms.Domain.Model;
using Wms.Domain.Watch;

namespace Wms.GrainInterfaces.Watch;

/// <summary>
/// What a watcher is told of a taskforce: where it runs, its phase, its workers' statuses and its newest log entry,
/// without the pilot and worker configuration that never change while it is watched.
/// </summary>
/// <remarks>The maps are copies made for the summary alone, so nothing else ever changes them.</remarks>
[GenerateSerializer, Immutable, Alias("Wms.TaskforceSummary")]
public sealed record TaskforceSummary
{
    [Id(0)] public required string TaskforceUuid { get; init; }
    [Id(1)] public required string TaskId { get; init; }
    [Id(2)] public required string WorkflowId { get; init; }
    [Id(3)] public required string Schedd { get; init; }
    [Id(4)] public required string Collector { get; init; }
    [Id(5)] public required string Phase { get; init; }

    /// <summary>The phase before this change; null unless the phase changed (and for a new taskforce).</summary>
    [Id(6)] public string? PreviousPhase { get; init; }

    /// <summary>A <see cref="TaskforceChange"/> name.</summary>
    [Id(7)] public required string Change { get; init; }

    [Id(8)] public long? ClusterId { get; init; }
    [Id(9)] public long? NWorkers { get; init; }
    [Id(10)] public required Dictionary<string, Dictionary<string, long>> CompoundStatuses { get; init; }
    [Id(11)] public required Dictionary<string, long> TopTaskErrors { get; init; }
    [Id(12)] public PhaseChangeLogEntry? LastLog { get; init; }

    /// <summary>When the change was made (epoch seconds); for a snapshot, the newest log entry's time.</summary>
    [Id(13)] public required double Timestamp { get; init; }

    /// <summary>The stored revision the summary shows; a summary that arrives after a newer one is dropped.</summary>
    [Id(14)] public long Revision { get; init; }

    /// <summary>The change from <paramref name="previous"/> (null: the taskforce is new) to <paramref name="next"/>.</summary>
    public static TaskforceSummary Of(TaskforceDocument? previous, TaskforceDocument next, double timestamp, long revision)
    {
        var change = TaskforceChange.Of(previous, next);
        return From(next, change, change == TaskforceChange.Phase ? previous?.Phase : null, timestamp, revision);
    }

    /// <summary>The taskforce as it stands, for a snapshot.</summary>
    public static TaskforceSummary Snapshot(TaskforceDocument taskforce) =>
        From(taskforce, TaskforceChange.Snapshot, null,
            taskforce.PhaseChangeLog.Count > 0 ? taskforce.PhaseChangeLog[^1].Timestamp : taskforce.Timestamp, 0);

    private static TaskforceSummary From(
        TaskforceDocument tf, string change, string? previousPhase, double timestamp, long revision) => new()
        {
            TaskforceUuid = tf.TaskforceUuid,
            TaskId = tf.TaskId,
            WorkflowId = tf.WorkflowId,
            Schedd = tf.Schedd,
            Collector = tf.Collector,
            Phase = tf.Phase,
            PreviousPhase = previousPhase,
            Change = change,
            ClusterId = tf.ClusterId,
            NWorkers = tf.NWorkers,
            CompoundStatuses = tf.CompoundStatuses.ToDictionary(s => s.Key, s => s.Value.ToDictionary(), StringComparer.Ordinal),
            TopTaskErrors = tf.TopTaskErrors.ToDictionary(StringComparer.Ordinal),
            LastLog = tf.PhaseChangeLog.Count > 0 ? tf.PhaseChangeLog[^1] : null,
            Timestamp = timestamp,
            Revision = revision,
        };
}
