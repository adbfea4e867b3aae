using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.Api.Errors;
using Wms.Api.Rendering;
using Wms.Api.Requests;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.Domain.Rules;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Outcomes;
using Wms.Requests;

namespace Wms.Api.Endpoints;

/// <summary>Reading task directives and adding workers to them.</summary>
public static class TaskDirectiveEndpoints
{
    public static void MapTaskDirectiveEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation)
    {
        var at = generation.Prefix();
        routes.MapGet(at + "/task-directives/{task_id}",
                (string task_id, IObjectIndex index, CancellationToken cancel) => GetAsync(generation, task_id, index, cancel))
            .For(generation, "GetTaskDirective")
            .Describe<TaskDirectiveDocument>("task-directives", "Get a task directive", 404)
            .RequireWmsRoles(WmsRole.User);
        routes.MapPost(at + "/task-directives/{task_id}/actions/add-workers",
                (string task_id, HttpRequest request, ClusterLocationCatalog locations, IGrainFactory grains) =>
                    AddWorkersAsync(generation, task_id, request, locations, grains))
            .For(generation, "AddWorkers")
            .Takes<AddWorkersBody>()
            .Describe<TaskforceDocument>("task-directives", "Add a taskforce of workers to a task (extension)", 404, 422)
            .TakesIdempotencyKey()
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
    }

    private static async Task<IResult> GetAsync(
        ApiGeneration generation, string taskId, IObjectIndex index, CancellationToken cancel)
    {
        var json = Ids.IsTaskId(taskId) ? await index.GetJsonAsync(ObjectKind.TaskDirective, taskId, cancel) : null;
        return json is null
            ? NoTask(taskId)
            : new RawJson(GenerationView.Render(generation, ObjectKind.TaskDirective, json));
    }

    private static async Task<IResult> AddWorkersAsync(
        ApiGeneration generation, string task_id, HttpRequest request, ClusterLocationCatalog locations,
        IGrainFactory grains)
    {
        var key = IdempotencyKey.From(request);
        var json = await RequestBody.ReadObjectAsync(request);
        var body = AddWorkersRequest.Read(json);
        var location = locations.Find(body.ClusterLocation)
            ?? throw new BadRequestException(WorkflowRequestReader.UnknownLocation(generation, body.ClusterLocation));
        // A task's id names its workflow, which owns the task and answers for an unknown one.
        if (!Ids.IsTaskId(task_id) || Ids.WorkflowIdOf(task_id) is not { } workflowId)
        {
            return NoTask(task_id);
        }
        var caller = request.HttpContext.CallerSubject();
        var author = PhaseLog.AddWorkers(generation, caller, request.HttpContext.CallerIsTms());
        AddWorkersOutcome outcome;
        if (key is null)
        {
            outcome = await grains.Get<IWorkflowGrain>(workflowId)
                .AddWorkersAsync(task_id, location, body.NWorkers, caller, author: author);
        }
        else
        {
            var operation = generation == ApiGeneration.V1 ? "add-workers v1 " : "add-workers ";
            var keyed = await grains.Get<IIdempotencyGrain>(IdempotencyKey.GrainKey(caller, key)).AddWorkersAsync(
                IdempotencyKey.RequestHash(operation + task_id, json), task_id, location, body.NWorkers, caller, author);
            if (keyed.Outcome is not { } first)
            {
                return IdempotencyKey.Reused();
            }
            outcome = first;
        }
        return outcome switch
        {
            { Kind: AddWorkersKind.Added, Taskforce: { } taskforce } => WireResults.Of(taskforce, generation),
            { Kind: AddWorkersKind.WorkflowDeactivated } => new ApiError(StatusCodes.Status422UnprocessableEntity,
                generation == ApiGeneration.V1
                    ? $"cannot add a taskforce to a deactivated workflow ({workflowId})"
                    : $"workflow {workflowId} is deactivated; no workers can be added"),
            _ => NoTask(task_id),
        };
    }

    private static ApiError NoTask(string taskId) => ApiError.NotFound($"no task found with id: {taskId}");
}
