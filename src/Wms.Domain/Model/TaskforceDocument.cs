using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>One application of a task directive to one HTCondor pool, as users and the TMS see it.</summary>
[GenerateSerializer, Immutable, Alias("Wms.TaskforceDocument")]
public sealed record TaskforceDocument
{
    [Id(0), JsonPropertyName("taskforce_uuid")] public required string TaskforceUuid { get; init; }
    [Id(1), JsonPropertyName("task_id")] public required string TaskId { get; init; }
    [Id(2), JsonPropertyName("workflow_id")] public required string WorkflowId { get; init; }
    [Id(3), JsonPropertyName("timestamp")] public required double Timestamp { get; init; }
    [Id(4), JsonPropertyName("collector")] public required string Collector { get; init; }
    [Id(5), JsonPropertyName("schedd")] public required string Schedd { get; init; }
    [Id(6), JsonPropertyName("n_workers")] public long? NWorkers { get; init; }
    [Id(7), JsonPropertyName("pilot_config")] public required PilotConfig PilotConfig { get; init; }
    [Id(8), JsonPropertyName("worker_config")] public required WorkerConfig WorkerConfig { get; init; }
    [Id(9), JsonPropertyName("cluster_id")] public long? ClusterId { get; init; }
    [Id(10), JsonPropertyName("submit_dict")] public Dictionary<string, ConfigValue> SubmitDict { get; init; } = [];
    [Id(11), JsonPropertyName("job_event_log_fpath")] public string JobEventLogFpath { get; init; } = "";
    [Id(12), JsonPropertyName("phase")] public required string Phase { get; init; }
    [Id(13), JsonPropertyName("phase_change_log")] public required List<PhaseChangeLogEntry> PhaseChangeLog { get; init; }

    [Id(14), JsonPropertyName("compound_statuses")]
    public Dictionary<string, Dictionary<string, long>> CompoundStatuses { get; init; } = [];

    [Id(15), JsonPropertyName("top_task_errors")] public Dictionary<string, long> TopTaskErrors { get; init; } = [];
}
