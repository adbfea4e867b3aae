using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Explain;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>
/// "Why isn't it running?", an extension: for each taskforce, what it waits for and since when, in words and as
/// evidence. The same answer on both generations; whoever may read the workflow, or the taskforce, may read why.
/// </summary>
public static class ExplainEndpoints
{
    public static void MapExplainEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation)
    {
        var at = generation.Prefix();
        routes.MapGet(at + "/workflows/{workflow_id}/explain",
                async (string workflow_id, WorkflowExplainer explainer, CancellationToken cancel) =>
                    await explainer.ExplainWorkflowAsync(workflow_id, cancel) is { } answer
                        ? WireResults.Json(answer)
                        : ApiError.NotFound($"no workflow found with id: {workflow_id}"))
            .For(generation, "ExplainWorkflow")
            .Describe<WorkflowExplanationBody>("workflows",
                "Why each of a workflow's taskforces is where it is: what it waits for, since when, the evidence and "
                + "what to do (extension)", 404)
            .RequireWmsRoles(WmsRole.User);
        routes.MapGet(at + "/taskforces/{taskforce_uuid}/explain",
                async (string taskforce_uuid, WorkflowExplainer explainer, CancellationToken cancel) =>
                    await explainer.ExplainTaskforceAsync(taskforce_uuid, cancel) is { } answer
                        ? WireResults.Json(answer)
                        : ApiError.NotFound($"no taskforce found with uuid: {taskforce_uuid}"))
            .For(generation, "ExplainTaskforce")
            .Describe<TaskforceExplanationBody>("taskforces",
                "Why a taskforce is where it is: what it waits for, since when, the evidence and what to do (extension)",
                404)
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
    }
}
