using Wms.Domain.Model;

namespace Wms.Cli.Connection;

/// <summary>
/// The service's user routes in one generation, relative to its base address. Only routes the service serves are
/// here; a command for a new endpoint (live watch, explanations) adds its route beside these once it exists.
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

    private static string Escape(string segment) => Uri.EscapeDataString(segment);
}
