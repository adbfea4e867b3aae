using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Requests;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Index;

namespace Wms.Api.Endpoints;

/// <summary>MongoDB-style find over each kind of object.</summary>
public static class QueryEndpoints
{
    public static void MapQueryEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapPost("/v0/query/workflows", (HttpRequest r, IObjectIndex i) => FindAsync(r, i, ObjectKind.Workflow, "workflows"))
            .WithName("FindWorkflows")
            .Takes<FindBody>().Describe<WorkflowsBody>("query", "Find workflows with a MongoDB-style filter")
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
        routes.MapPost("/v0/query/task-directives",
                (HttpRequest r, IObjectIndex i) => FindAsync(r, i, ObjectKind.TaskDirective, "task_directives"))
            .WithName("FindTaskDirectives")
            .Takes<FindBody>().Describe<TaskDirectivesBody>("query", "Find task directives with a MongoDB-style filter")
            .RequireWmsRoles(WmsRole.User);
        routes.MapPost("/v0/query/taskforces", (HttpRequest r, IObjectIndex i) => FindAsync(r, i, ObjectKind.Taskforce, "taskforces"))
            .WithName("FindTaskforces")
            .Takes<FindBody>().Describe<TaskforcesBody>("query", "Find taskforces with a MongoDB-style filter")
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
    }

    private static async Task<IResult> FindAsync(HttpRequest request, IObjectIndex index, ObjectKind kind, string name)
    {
        var find = FindRequest.Read(await RequestBody.ReadObjectAsync(request));
        return new StreamedFind(name, index.FindAsync(kind, find.Filter, find.Projection, request.HttpContext.RequestAborted));
    }
}
