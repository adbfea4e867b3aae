using System.ComponentModel;
using System.Text.Json.Serialization;
using Wms.Domain.Model;

namespace Wms.Api.Wire;

// The answer bodies that are not one of our documents; for the generated OpenAPI document.

/// <summary>Every error: the same text is the HTTP reason phrase.</summary>
public sealed record ErrorBody(
    [property: JsonPropertyName("code")] int Code,
    [property: JsonPropertyName("error")] string Error);

/// <summary>Abort and finished.</summary>
public sealed record DeactivatedBody(
    [property: JsonPropertyName("workflow_id")] string WorkflowId,
    [property: JsonPropertyName("n_taskforces")] int NTaskforces);

/// <summary>TMS reports.</summary>
public sealed record TaskforceUuidBody([property: JsonPropertyName("taskforce_uuid")] string TaskforceUuid);

/// <summary>One taskforce's outcome in a bulk status update.</summary>
public sealed record StatusResult(
    [property: JsonPropertyName("uuid")] string Uuid,
    [property: JsonPropertyName("status")] string Status,
    [property: JsonPropertyName("error")] string? Error);

public sealed record StatusResultsBody([property: JsonPropertyName("results")] List<StatusResult> Results);

public sealed record WorkflowsBody([property: JsonPropertyName("workflows")] List<WorkflowDocument> Workflows);

public sealed record TaskDirectivesBody(
    [property: JsonPropertyName("task_directives")] List<TaskDirectiveDocument> TaskDirectives);

public sealed record TaskforcesBody([property: JsonPropertyName("taskforces")] List<TaskforceDocument> Taskforces);

/// <summary>The MQS's public queue profiles of a workflow.</summary>
public sealed record MqProfilesBody([property: JsonPropertyName("mqprofiles")] List<MqProfile> MqProfiles);

/// <summary>An empty object: the root, and a TMS poll with nothing to offer.</summary>
public sealed record EmptyObjectBody;

/// <summary>
/// GET /v1/tms/pending-starter/taskforces: the taskforce to start, its task directive and the profiles of the
/// task's queues, which the TMS turns into the pilot's environment. All three, or <c>{}</c> when nothing waits.
/// </summary>
/// <remarks>
/// No member is required, as <c>{}</c> has none, and none is ever null: so they are neither <c>required</c> nor
/// nullable here.
/// </remarks>
[Description("All three members, or none ({}) when no taskforce waits at the schedd.")]
public sealed record PendingStarterV1Body
{
    [JsonPropertyName("taskforce")] public TaskforceDocument Taskforce { get; init; } = null!;
    [JsonPropertyName("task_directive")] public TaskDirectiveDocument TaskDirective { get; init; } = null!;
    [JsonPropertyName("mqprofiles")] public List<MqsProfileBody> MqProfiles { get; init; } = [];
}

/// <summary>One queue as the MQS describes it, handed on whole: its nine members, then any others the MQS sent.</summary>
public sealed record MqsProfileBody(
    [property: JsonPropertyName("mqid")] string MqId,
    [property: JsonPropertyName("workflow_id")] string? WorkflowId,
    [property: JsonPropertyName("timestamp")] double? Timestamp,
    [property: JsonPropertyName("alias")] string Alias,
    [property: JsonPropertyName("is_public")] bool IsPublic,
    [property: JsonPropertyName("is_activated")] bool IsActivated,
    [property: JsonPropertyName("auth_token")] string? AuthToken,
    [property: JsonPropertyName("broker_type")] string? BrokerType,
    [property: JsonPropertyName("broker_address")] string? BrokerAddress);

/// <summary>
/// GET .../taskforces/{taskforce_uuid}/status-history (an extension): the taskforce's past compound statuses and
/// top task errors, oldest first.
/// </summary>
public sealed record StatusHistoryBody(
    [property: JsonPropertyName("taskforce_uuid")] string TaskforceUuid,
    [property: JsonPropertyName("history")] List<StatusHistoryEntryBody> History);

/// <summary>
/// The statuses as they stood after one change the TMS reported; <c>timestamp</c> is when the service received that
/// report (epoch seconds).
/// </summary>
public sealed record StatusHistoryEntryBody(
    [property: JsonPropertyName("timestamp")] double Timestamp,
    [property: JsonPropertyName("compound_statuses")] Dictionary<string, Dictionary<string, long>> CompoundStatuses,
    [property: JsonPropertyName("top_task_errors")] Dictionary<string, long> TopTaskErrors);

/// <summary>
/// GET .../taskforces/{taskforce_uuid}/explain (an extension): what the taskforce waits for, or why it waits no more.
/// </summary>
public sealed record TaskforceExplanationBody(
    [property: JsonPropertyName("taskforce_uuid")] string TaskforceUuid,
    [property: JsonPropertyName("workflow_id")] string WorkflowId,
    [property: JsonPropertyName("task_id")] string TaskId,
    [property: JsonPropertyName("schedd")] string Schedd,
    [property: JsonPropertyName("collector")] string Collector,
    [property: JsonPropertyName("phase")] string Phase,
    [property: JsonPropertyName("reason"), Description(
        "A stable code: mq-activation-pending, launch-queue, waiting-for-tms, tms-not-polling, submit-retry-limit, "
        + "submitted-no-report, running, workers-idle, workers-held, no-active-workers, removal-pending, "
        + "rm-retry-limit, removed, stopped-before-submit or finished")]
    string Reason,
    [property: JsonPropertyName("message"), Description("One or two sentences for people, with UTC times and numbers")]
    string Message,
    [property: JsonPropertyName("since"), Description("When this state began, in epoch seconds")] double Since,
    [property: JsonPropertyName("evidence"), Description("The facts the reason rests on; its members depend on the reason")]
    Dictionary<string, object?> Evidence,
    [property: JsonPropertyName("action"), Description("What the user can do, or null when nothing")] string? Action);

/// <summary>GET .../workflows/{workflow_id}/explain (an extension): every taskforce of the workflow, oldest first.</summary>
public sealed record WorkflowExplanationBody(
    [property: JsonPropertyName("workflow_id")] string WorkflowId,
    [property: JsonPropertyName("generated_at"), Description("When this answer was made, in epoch seconds")]
    double GeneratedAt,
    [property: JsonPropertyName("summary"), Description("One sentence on the workflow and where its taskforces stand")]
    string Summary,
    [property: JsonPropertyName("taskforces")] List<TaskforceExplanationBody> Taskforces);
