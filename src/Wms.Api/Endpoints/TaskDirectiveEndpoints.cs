using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.Api.Errors;
using Wms.Api.Requests;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;

namespace Wms.Api.Endpoints;

/// <summary>Reading task directives and adding workers to them.</summary>
public static class TaskDirectiveEndpoints
{
    public static void MapTaskDirectiveEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/v0/task-directives/{task_id}", GetAsync).WithName("GetTaskDirective")
            .Describe<TaskDirectiveDocument>("task-directives", "Get a task directive", 404)
            .RequireWmsRoles(WmsRole.User);
        routes.MapPost("/v0/task-directives/{task_id}/actions/add-workers", AddWorkersAsync).WithName("AddWorkers")
            .Takes<AddWorkersBody>()
            .Describe<TaskforceDocument>("task-directives", "Add a taskforce of workers to a task (extension)", 404, 422)
            .TakesIdempotencyKey()
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
    }

    private static async Task<IResult> GetAsync(string task_id, IObjectIndex index, CancellationToken cancel)
    {
        var json = Ids.IsTaskId(task_id) ? await index.GetJsonAsync(ObjectKind.TaskDirective, task_id, cancel) : null;
        return json is null ? NoTask(task_id) : new RawJson(json);
    }

    private static async Task<IResult> AddWorkersAsync(
        string task_id, HttpRequest request, ClusterLocationCatalog locations, IGrainFactory grains)
    {
        var key = IdempotencyKey.From(request);
        var json = await RequestBody.ReadObjectAsync(request);
        var body = AddWorkersRequest.Read(json);
        var location = locations.Find(body.ClusterLocation)
            ?? throw new BadRequestException($"condor location not found: {body.ClusterLocation}");
        // A task's id names its workflow, which owns the task and answers for an unknown one.
        if (!Ids.IsTaskId(task_id) || Ids.WorkflowIdOf(task_id) is not { } workflowId)
        {
            return NoTask(task_id);
        }
        var caller = request.HttpContext.CallerSubject();
        AddWorkersOutcome outcome;
        if (key is null)
        {
            outcome = await grains.Get<IWorkflowGrain>(workflowId).AddWorkersAsync(task_id, location, body.NWorkers, caller);
        }
        else
        {
            var keyed = await grains.Get<IIdempotencyGrain>(IdempotencyKey.GrainKey(caller, key)).AddWorkersAsync(
                IdempotencyKey.RequestHash("add-workers " + task_id, json), task_id, location, body.NWorkers, caller);
            if (keyed.Outcome is not { } first)
            {
                return IdempotencyKey.Reused();
            }
            outcome = first;
        }
        return outcome switch
        {
            { Kind: AddWorkersKind.Added, Taskforce: { } taskforce } => WireResults.Of(taskforce),
            { Kind: AddWorkersKind.WorkflowDeactivated } => new ApiError(StatusCodes.Status422UnprocessableEntity,
                $"workflow {workflowId} is deactivated; no workers can be added"),
            _ => NoTask(task_id),
        };
    }

    private static ApiError NoTask(string taskId) => ApiError.NotFound($"no task found with id: {taskId}");
}
