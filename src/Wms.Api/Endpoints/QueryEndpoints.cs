using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Rendering;
using Wms.Api.Requests;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>MongoDB-style find over each kind of object.</summary>
public static class QueryEndpoints
{
    public static void MapQueryEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation)
    {
        var at = generation.Prefix();
        routes.MapPost(at + "/query/workflows",
                (HttpRequest r, IObjectIndex i) => FindAsync(generation, r, i, ObjectKind.Workflow, "workflows"))
            .For(generation, "FindWorkflows")
            .Takes<FindBody>().Describe<WorkflowsBody>("query", "Find workflows with a MongoDB-style filter")
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
        routes.MapPost(at + "/query/task-directives",
                (HttpRequest r, IObjectIndex i) => FindAsync(generation, r, i, ObjectKind.TaskDirective, "task_directives"))
            .For(generation, "FindTaskDirectives")
            .Takes<FindBody>().Describe<TaskDirectivesBody>("query", "Find task directives with a MongoDB-style filter")
            .RequireWmsRoles(WmsRole.User);
        routes.MapPost(at + "/query/taskforces",
                (HttpRequest r, IObjectIndex i) => FindAsync(generation, r, i, ObjectKind.Taskforce, "taskforces"))
            .For(generation, "FindTaskforces")
            .Takes<FindBody>().Describe<TaskforcesBody>("query", "Find taskforces with a MongoDB-style filter")
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);
    }

    private static async Task<IResult> FindAsync(
        ApiGeneration generation, HttpRequest request, IObjectIndex index, ObjectKind kind, string name)
    {
        var find = FindRequest.Read(await RequestBody.ReadObjectAsync(request), generation, kind);
        return new StreamedFind(name, index.FindAsync(kind, find.Filter, find.Projection, request.HttpContext.RequestAborted),
            GenerationView.Rule(generation, kind), projected: find.Projection is not null);
    }
}
