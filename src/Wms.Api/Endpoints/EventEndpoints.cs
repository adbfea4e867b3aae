using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Watch;
using Wms.Api.Wire;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>Live watch of a workflow, an extension: its changes as Server-Sent Events, pushed as they happen.</summary>
public static class EventEndpoints
{
    private const string Description =
        "A Server-Sent Events stream (extension). It starts with `retry: 2000`; each event has an `id:` (opaque: send "
        + "it back as the `Last-Event-ID` header, or `?last_event_id=`, to resume), an `event:` name and one `data:` "
        + "line of JSON. `snapshot` ({workflow, taskforces, resumed: false, cause}) comes first on every connection "
        + "that is not an exact resume; then `taskforce` (a taskforce summary with `change` phase, status or log, "
        + "`previous_phase` and the newest `last_log` entry), `workflow` ({workflow, change, timestamp}) and `explain` "
        + "(a taskforce's explanation, when its reason changes), as they happen; a `: keep-alive` comment every 15 s. "
        + "A client too slow to keep up is disconnected and resumes.";

    public static void MapEventEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation) =>
        routes.MapGet(generation.Prefix() + "/workflows/{workflow_id}/events",
                (string workflow_id, HttpContext context, IObjectIndex index, WatchHub hub) =>
                    StreamAsync(generation, workflow_id, context, index, hub))
            .For(generation, "WatchWorkflow")
            .WithTags("workflows")
            .WithSummary("Watch a workflow's changes live, as Server-Sent Events")
            .WithDescription(Description)
            .TakesQuery(WatchResponse.LastEventIdQuery,
                "The id of the last event received, to resume after it; the Last-Event-ID header takes precedence",
                required: false)
            .Produces<string>(StatusCodes.Status200OK, ServerSentEvents.ContentType)
            .Produces<ErrorBody>(StatusCodes.Status400BadRequest, "application/json")
            .Produces<ErrorBody>(StatusCodes.Status404NotFound, "application/json")
            .RequireWmsRoles(WmsRole.User);

    /// <summary>An unknown workflow is a 404 in the contract's error body, before any event.</summary>
    private static async Task StreamAsync(
        ApiGeneration generation, string workflowId, HttpContext context, IObjectIndex index, WatchHub hub)
    {
        if (!Ids.IsWorkflowId(workflowId)
            || await index.GetJsonAsync(ObjectKind.Workflow, workflowId, context.RequestAborted) is null)
        {
            await ApiError.NotFound($"no workflow found with id: {workflowId}").ExecuteAsync(context);
            return;
        }
        await WatchResponse.RunAsync(context, workflowId, generation, index, hub);
    }
}
