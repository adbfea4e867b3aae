using Wms.Domain.Model;

namespace Wms.Cli.Connection;

/// <summary>
/// The service's user routes in one generation, relative to its base address.
/// </summary>
public sealed class Routes(ApiGeneration generation)
{
    private readonly string _prefix = generation == ApiGeneration.V1 ? "v1" : "v0";

    public ApiGeneration Generation { get; } = generation;

    /// <summary>Whether finds answer a page at a time (<c>after</c>, <c>next_after</c>); <c>/v0</c> answers them whole.</summary>
    public bool PagedFinds => Generation == ApiGeneration.V1;

    public string Workflows => $"{_prefix}/workflows";

    public string Workflow(string workflowId) => $"{_prefix}/workflows/{Escape(workflowId)}";

    public string Abort(string workflowId) => $"{Workflow(workflowId)}/actions/abort";

    public string Finish(string workflowId) => $"{Workflow(workflowId)}/actions/finished";

    public string AddWorkers(string taskId) => $"{_prefix}/task-directives/{Escape(taskId)}/actions/add-workers";

    public string Find(FindKind kind) => $"{_prefix}/query/{kind.RouteName}";

    public string PublicQueueProfiles(string workflowId) =>
        $"{_prefix}/mqs/workflows/{Escape(workflowId)}/mq-profiles/public";

    /// <summary>Why a workflow's taskforces are where they are, each in words and as evidence.</summary>
    public string ExplainWorkflow(string workflowId) => $"{Workflow(workflowId)}/explain";

    public string ExplainTaskforce(string taskforceUuid) => $"{_prefix}/taskforces/{Escape(taskforceUuid)}/explain";

    /// <summary>The workflow's changes as Server-Sent Events, resumable with <c>Last-Event-ID</c>.</summary>
    public string Events(string workflowId) => $"{Workflow(workflowId)}/events";

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
