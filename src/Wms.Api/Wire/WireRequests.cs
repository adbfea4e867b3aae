using System.ComponentModel;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Wms.Domain.Model;

namespace Wms.Api.Wire;

// The request bodies as the wire carries them. The endpoints read bodies with their own strict readers (for
// precise 400s); these records exist so the generated OpenAPI document describes the same shapes.

/// <summary>POST /v0/workflows.</summary>
public sealed record CreateWorkflowBody
{
    [JsonPropertyName("tasks")] public required List<TaskBody> Tasks { get; init; }
    [JsonPropertyName("public_queue_aliases")] public required List<string> PublicQueueAliases { get; init; }
    [JsonPropertyName("priority")] public int? Priority { get; init; }
}

/// <summary>One task of a workflow request.</summary>
public sealed record TaskBody
{
    [JsonPropertyName("cluster_locations")] public required List<string> ClusterLocations { get; init; }
    [JsonPropertyName("task_image")] public required string TaskImage { get; init; }
    [JsonPropertyName("task_args")] public required string TaskArgs { get; init; }
    [JsonPropertyName("task_env")] public Dictionary<string, JsonNode>? TaskEnv { get; init; }
    [JsonPropertyName("init_image")] public string? InitImage { get; init; }
    [JsonPropertyName("init_args")] public string? InitArgs { get; init; }
    [JsonPropertyName("init_env")] public Dictionary<string, JsonNode>? InitEnv { get; init; }
    [JsonPropertyName("input_queue_aliases")] public required List<string> InputQueueAliases { get; init; }
    [JsonPropertyName("output_queue_aliases")] public required List<string> OutputQueueAliases { get; init; }
    [JsonPropertyName("pilot_config")] public PilotConfig? PilotConfig { get; init; }
    [JsonPropertyName("worker_config")] public required WorkerConfig WorkerConfig { get; init; }
    [JsonPropertyName("n_workers")] public required long? NWorkers { get; init; }
}

/// <summary>POST /v0/query/*.</summary>
public sealed record FindBody
{
    [JsonPropertyName("query")] public required JsonObject Query { get; init; }
    [JsonPropertyName("projection")] public List<string>? Projection { get; init; }
}

/// <summary>POST /v0/query/workflows: a find, and whether only the caller's own workflows are asked for.</summary>
public sealed record WorkflowFindBody
{
    [JsonPropertyName("query")] public required JsonObject Query { get; init; }
    [JsonPropertyName("projection")] public List<string>? Projection { get; init; }

    [JsonPropertyName("mine"), Description(
        "Only the workflows the caller created: those its token's subject submitted; with authentication off, those "
        + "submitted while it was off. False or left out: every workflow the filter matches.")]
    public bool Mine { get; init; }
}

/// <summary>POST /v0/task-directives/{task_id}/actions/add-workers.</summary>
public sealed record AddWorkersBody
{
    [JsonPropertyName("cluster_location")] public required string ClusterLocation { get; init; }
    [JsonPropertyName("n_workers")] public required long? NWorkers { get; init; }
}

/// <summary>POST /v0/tms/condor-submit/taskforces/{taskforce_uuid}.</summary>
public sealed record CondorSubmitBody
{
    [JsonPropertyName("cluster_id")] public required long ClusterId { get; init; }
    [JsonPropertyName("n_workers")] public required long? NWorkers { get; init; }
    [JsonPropertyName("submit_dict")] public required Dictionary<string, ConfigValue> SubmitDict { get; init; }
    [JsonPropertyName("job_event_log_fpath")] public required string JobEventLogFpath { get; init; }
}

/// <summary>The /failed reports; a missing error reads as "".</summary>
public sealed record FailureBody
{
    [JsonPropertyName("error")] public string? Error { get; init; }
}

/// <summary>POST /v0/tms/condor-complete/taskforces/{taskforce_uuid}.</summary>
public sealed record CondorCompleteBody
{
    [JsonPropertyName("condor_complete_ts")] public required long CondorCompleteTs { get; init; }
}

/// <summary>POST /v0/tms/statuses/taskforces.</summary>
public sealed record StatusesBody
{
    [JsonPropertyName("top_task_errors_by_taskforce")] public Dictionary<string, Dictionary<string, long>>? TopTaskErrorsByTaskforce { get; init; }
    [JsonPropertyName("compound_statuses_by_taskforce")] public Dictionary<string, Dictionary<string, Dictionary<string, long>>>? CompoundStatusesByTaskforce { get; init; }
}

/// <summary>Argument-less actions take an empty object.</summary>
public sealed record EmptyBody;
