using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Wms.GrainInterfaces.Model;

namespace Wms.Api.Wire;

// The request bodies as the wire carries them. The endpoints read bodies with their own strict readers (for
// precise 400s); these records exist so the generated OpenAPI document describes the same shapes.

/// <summary>POST /v0/workflows.</summary>
public sealed record CreateWorkflowBody(
    [property: JsonPropertyName("tasks")] List<TaskBody> Tasks,
    [property: JsonPropertyName("public_queue_aliases")] List<string> PublicQueueAliases,
    [property: JsonPropertyName("priority")] int? Priority);

/// <summary>One task of a workflow request.</summary>
public sealed record TaskBody(
    [property: JsonPropertyName("cluster_locations")] List<string> ClusterLocations,
    [property: JsonPropertyName("task_image")] string TaskImage,
    [property: JsonPropertyName("task_args")] string TaskArgs,
    [property: JsonPropertyName("task_env")] Dictionary<string, JsonNode>? TaskEnv,
    [property: JsonPropertyName("init_image")] string? InitImage,
    [property: JsonPropertyName("init_args")] string? InitArgs,
    [property: JsonPropertyName("init_env")] Dictionary<string, JsonNode>? InitEnv,
    [property: JsonPropertyName("input_queue_aliases")] List<string> InputQueueAliases,
    [property: JsonPropertyName("output_queue_aliases")] List<string> OutputQueueAliases,
    [property: JsonPropertyName("pilot_config")] PilotConfig? PilotConfig,
    [property: JsonPropertyName("worker_config")] WorkerConfig WorkerConfig,
    [property: JsonPropertyName("n_workers")] long? NWorkers);

/// <summary>POST /v0/query/*.</summary>
public sealed record FindBody(
    [property: JsonPropertyName("query")] JsonObject Query,
    [property: JsonPropertyName("projection")] List<string>? Projection);

/// <summary>POST /v0/task-directives/{task_id}/actions/add-workers.</summary>
public sealed record AddWorkersBody(
    [property: JsonPropertyName("cluster_location")] string ClusterLocation,
    [property: JsonPropertyName("n_workers")] long? NWorkers);

/// <summary>POST /v0/tms/condor-submit/taskforces/{taskforce_uuid}.</summary>
public sealed record CondorSubmitBody(
    [property: JsonPropertyName("cluster_id")] long ClusterId,
    [property: JsonPropertyName("n_workers")] long? NWorkers,
    [property: JsonPropertyName("submit_dict")] Dictionary<string, ConfigValue> SubmitDict,
    [property: JsonPropertyName("job_event_log_fpath")] string JobEventLogFpath);

/// <summary>The /failed reports; a missing error reads as "".</summary>
public sealed record FailureBody([property: JsonPropertyName("error")] string? Error);

/// <summary>POST /v0/tms/condor-complete/taskforces/{taskforce_uuid}.</summary>
public sealed record CondorCompleteBody([property: JsonPropertyName("condor_complete_ts")] long CondorCompleteTs);

/// <summary>POST /v0/tms/statuses/taskforces.</summary>
public sealed record StatusesBody(
    [property: JsonPropertyName("top_task_errors_by_taskforce")]
    Dictionary<string, Dictionary<string, long>>? TopTaskErrorsByTaskforce,
    [property: JsonPropertyName("compound_statuses_by_taskforce")]
    Dictionary<string, Dictionary<string, Dictionary<string, long>>>? CompoundStatusesByTaskforce);

/// <summary>Argument-less actions take an empty object.</summary>
public sealed record EmptyBody;
