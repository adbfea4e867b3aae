using System.Text.Json;
using Wms.Cli.Output;

namespace Wms.Cli.Watch;

/// <summary>What <c>wms watch</c> shows of one taskforce: where it is, its workers, and why it waits.</summary>
public sealed record TaskforceProgress
{
    public required string Uuid { get; init; }
    public string TaskId { get; init; } = "";
    public string Schedd { get; init; } = "";
    public string Phase { get; init; } = "";
    public bool HasCluster { get; init; }
    public long? NWorkers { get; init; }

    /// <summary>Workers HTCondor runs now, the sum of the <c>RUNNING</c> statuses.</summary>
    public long Running { get; init; }

    public long Held { get; init; }

    /// <summary>Every worker the TMS reported, in any state.</summary>
    public long Reported { get; init; }

    /// <summary>The statuses in one line (<see cref="CompoundStatuses.Summary"/>).</summary>
    public string Statuses { get; init; } = "";

    /// <summary>The explanation's reason code and words, once the service sent one.</summary>
    public string? Reason { get; init; }

    public string? Message { get; init; }

    /// <summary>
    /// Nothing more will happen to it: complete, or stopped before it was ever submitted (no cluster to remove).
    /// </summary>
    public bool IsSettled =>
        Phase == Domain.Model.Phase.CondorComplete || (Phase == Domain.Model.Phase.PendingStopper && !HasCluster);

    /// <summary>The bar's full length: the workers asked for, else those reported, and at least one.</summary>
    public long Goal => Math.Max(1, NWorkers ?? Reported);

    /// <summary>Reads a taskforce summary (or a whole taskforce document) of the event stream.</summary>
    public static TaskforceProgress From(JsonElement summary, TaskforceProgress? before = null)
    {
        var statuses = summary.Member("compound_statuses");
        return new TaskforceProgress
        {
            Uuid = summary.Text("taskforce_uuid"),
            TaskId = summary.Text("task_id"),
            Schedd = summary.Text("schedd"),
            Phase = summary.Text("phase"),
            HasCluster = summary.Member("cluster_id").ValueKind == JsonValueKind.Number,
            NWorkers = summary.Member("n_workers") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt64(out var w) ? w : null,
            Running = Count(statuses, "RUNNING"),
            Held = Count(statuses, "HELD"),
            Reported = statuses.ValueKind == JsonValueKind.Object ? statuses.EnumerateObject().Sum(s => Count(statuses, s.Name)) : 0,
            Statuses = CompoundStatuses.Summary(summary),
            Reason = before?.Reason,
            Message = before?.Message,
        };
    }

    /// <summary>The workers under one HTCondor state, summed over their pilot states.</summary>
    private static long Count(JsonElement statuses, string condorState)
    {
        var state = statuses.Member(condorState);
        return state.ValueKind switch
        {
            JsonValueKind.Object => state.EnumerateObject().Sum(p => p.Value.TryGetInt64(out var n) ? n : 0),
            JsonValueKind.Number when state.TryGetInt64(out var n) => n,
            _ => 0,
        };
    }
}
