using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Rendering;
using Wms.Api.Requests;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Commands;
using Wms.Domain.Index;
using Wms.Domain.Model;
using Wms.GrainInterfaces.Grains;
using Wms.GrainInterfaces.Telemetry;
using Wms.Requests;

namespace Wms.Api.Endpoints;

/// <summary>Creating, reading and deactivating workflows.</summary>
public static class WorkflowEndpoints
{
    public static void MapWorkflowEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation)
    {
        var at = generation.Prefix();
        routes.MapPost(at + "/workflows",
                (HttpRequest request, WorkflowRequestReader reader, IGrainFactory grains, TimeProvider time,
                    WmsMetrics metrics) =>
                    CountedAsync(metrics, CreateAsync(generation, request, reader, grains, time)))
            .For(generation, "CreateWorkflow").Takes<CreateWorkflowBody>()
            .Describe<WorkflowCreation>("workflows", "Create a workflow with its task directives and taskforces", 503)
            .TakesIdempotencyKey()
            .RequireWmsRoles(WmsRole.User);
        routes.MapGet(at + "/workflows/{workflow_id}",
                (string workflow_id, IObjectIndex index, CancellationToken cancel) =>
                    GetAsync(generation, workflow_id, index, cancel))
            .For(generation, "GetWorkflow")
            .Describe<WorkflowDocument>("workflows", "Get a workflow", 404)
            .RequireWmsRoles(WmsRole.User);
        routes.MapPost(at + "/workflows/{workflow_id}/actions/abort",
            (string workflow_id, HttpRequest request, IGrainFactory grains) =>
                DeactivateAsync(workflow_id, Deactivation.Aborted, request, grains)).For(generation, "AbortWorkflow")
            .Takes<EmptyBody>().Describe<DeactivatedBody>("workflows", "Deactivate a workflow as ABORTED", 404)
            .RequireWmsRoles(WmsRole.User);
        routes.MapPost(at + "/workflows/{workflow_id}/actions/finished",
            (string workflow_id, HttpRequest request, IGrainFactory grains) =>
                DeactivateAsync(workflow_id, Deactivation.Finished, request, grains)).For(generation, "FinishWorkflow")
            .Takes<EmptyBody>().Describe<DeactivatedBody>("workflows", "Deactivate a workflow as FINISHED", 404)
            .RequireWmsRoles(WmsRole.User);
    }

    private const int MaxIdDraws = 8;

    private static async Task<IResult> CreateAsync(
        ApiGeneration generation, HttpRequest request, WorkflowRequestReader reader, IGrainFactory grains,
        TimeProvider time)
    {
        var key = IdempotencyKey.From(request);
        var body = await RequestBody.ReadObjectAsync(request);
        var caller = request.HttpContext.CallerSubject();
        var spec = reader.Read(body, generation) with { CreatedBy = caller };
        if (key is not null)
        {
            // The generation is part of what was asked: the same body through the other one is another request.
            var operation = generation == ApiGeneration.V1 ? "create-workflow v1" : "create-workflow";
            var outcome = await grains.Get<IIdempotencyGrain>(IdempotencyKey.GrainKey(caller, key))
                .CreateWorkflowAsync(IdempotencyKey.RequestHash(operation, body), spec);
            return outcome.Creation is { } made ? WireResults.Of(made, generation) : IdempotencyKey.Reused();
        }
        // A random id can be one another submission already holds; the grain refuses it and a new one is drawn.
        for (var attempt = 0; attempt < MaxIdDraws; attempt++)
        {
            var workflowId = Ids.NewWorkflowId(time.GetUtcNow());
            if (await grains.Get<IWorkflowGrain>(workflowId).CreateAsync(spec) is { } creation)
            {
                return WireResults.Of(creation, generation);
            }
        }
        throw new InvalidOperationException($"no free workflow id after {MaxIdDraws} draws");
    }

    /// <summary>
    /// Counts a submission's answer by outcome: refused for a 4xx, failed for a 5xx (what the error handling will
    /// answer for an exception), created otherwise. A retry answered again through its <c>Idempotency-Key</c> counts
    /// again, as the client was answered again.
    /// </summary>
    private static async Task<IResult> CountedAsync(WmsMetrics metrics, Task<IResult> creation)
    {
        IResult result;
        try
        {
            result = await creation;
        }
        catch (Exception e)
        {
            Count(metrics, ErrorHandling.StatusOf(e));
            throw;
        }
        Count(metrics, result is ApiError error ? error.Code : StatusCodes.Status200OK);
        return result;
    }

    private static void Count(WmsMetrics metrics, int status)
    {
        if (status >= StatusCodes.Status500InternalServerError)
        {
            metrics.WorkflowFailed();
        }
        else if (status >= StatusCodes.Status400BadRequest)
        {
            metrics.WorkflowRefused();
        }
        else
        {
            metrics.WorkflowCreated();
        }
    }

    private static async Task<IResult> GetAsync(
        ApiGeneration generation, string workflowId, IObjectIndex index, CancellationToken cancel)
    {
        var json = Ids.IsWorkflowId(workflowId)
            ? await index.GetJsonAsync(ObjectKind.Workflow, workflowId, cancel)
            : null;
        return json is null
            ? ApiError.NotFound($"no workflow found with id: {workflowId}")
            : new RawJson(GenerationView.Render(generation, ObjectKind.Workflow, json));
    }

    private static async Task<IResult> DeactivateAsync(
        string workflowId, string deactivation, HttpRequest request, IGrainFactory grains)
    {
        TmsRequests.Empty(await RequestBody.ReadObjectAsync(request, allowEmpty: true));
        var outcome = Ids.IsWorkflowId(workflowId)
            ? await grains.Get<IWorkflowGrain>(workflowId).DeactivateAsync(deactivation, request.HttpContext.CallerSubject())
            : new GrainInterfaces.Outcomes.DeactivationOutcome(null);
        return outcome.NTaskforces is { } n
            ? WireResults.Json(new JsonObject { ["workflow_id"] = workflowId, ["n_taskforces"] = n })
            : ApiError.NotFound($"no non-deactivated workflow found with workflow_id='{workflowId}'");
    }
}
