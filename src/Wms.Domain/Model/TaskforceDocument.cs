using System.Text.Json.Serialization;

namespace Wms.Domain.Model;

/// <summary>One application of a task directive to one HTCondor pool, as users and the TMS see it.</summary>
/// <remarks>Collections are kept as stored (<see cref="StoredCollections"/>) and handed out read-only.</remarks>
[GenerateSerializer, Immutable, Alias("Wms.TaskforceDocument")]
public sealed record TaskforceDocument
{
    [Id(10)] private readonly Dictionary<string, ConfigValue> _submitDict = [];
    [Id(13)] private readonly List<PhaseChangeLogEntry> _phaseChangeLog = null!;
    [NonSerialized] private Dictionary<string, IReadOnlyDictionary<string, long>> _compoundStatuses = [];
    [Id(15)] private readonly Dictionary<string, long> _topTaskErrors = [];
    [Id(16)] private readonly int? _priority;

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

    [JsonPropertyName("submit_dict")]
    public IReadOnlyDictionary<string, ConfigValue> SubmitDict
    {
        get => _submitDict;
        init => _submitDict = StoredCollections.DictionaryOf(value);
    }

    [Id(11), JsonPropertyName("job_event_log_fpath")] public string JobEventLogFpath { get; init; } = "";
    [Id(12), JsonPropertyName("phase")] public required string Phase { get; init; }

    [JsonPropertyName("phase_change_log")]
    public required IReadOnlyList<PhaseChangeLogEntry> PhaseChangeLog
    {
        get => _phaseChangeLog;
        init => _phaseChangeLog = StoredCollections.ListOf(value);
    }

    [JsonPropertyName("compound_statuses")]
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, long>> CompoundStatuses
    {
        get => _compoundStatuses;
        init => _compoundStatuses = StoredCollections.NestedOf(value);
    }

    /// <summary>
    /// <see cref="CompoundStatuses"/> in the type Orleans has always written it as (see <see cref="StoredCollections"/>);
    /// set only by Orleans, when it reads one.
    /// </summary>
    [Id(14)]
    internal Dictionary<string, Dictionary<string, long>> StoredCompoundStatuses
    {
        get => StoredCollections.Stored(_compoundStatuses);
        set => _compoundStatuses = StoredCollections.NestedOf(value);
    }

    [JsonPropertyName("top_task_errors")]
    public IReadOnlyDictionary<string, long> TopTaskErrors
    {
        get => _topTaskErrors;
        init => _topTaskErrors = StoredCollections.DictionaryOf(value);
    }

    /// <summary>
    /// The launch priority: the workflow's, or more for added workers. Shown on <c>/v1</c> only; a taskforce
    /// stored before taskforces carried one has <see cref="Priorities.Unrecorded"/>.
    /// </summary>
    [JsonPropertyName("priority")]
    public int Priority
    {
        get => _priority ?? Priorities.Unrecorded;
        init => _priority = value;
    }
}
