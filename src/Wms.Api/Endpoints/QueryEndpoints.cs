using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wms.Api.Auth;
using Wms.Api.Configuration;
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
            .Takes<WorkflowFindBody>()
            .Describe<WorkflowsBody>("query", "Find workflows with a MongoDB-style filter, or only the caller's own")
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

    /// <summary><c>/v0</c> answers every match at once; <c>/v1</c> answers a page and where the next one starts.</summary>
    private static async Task<IResult> FindAsync(
        ApiGeneration generation, HttpRequest request, IObjectIndex index, ObjectKind kind, string name)
    {
        var find = FindRequest.Read(await RequestBody.ReadObjectAsync(request), generation, kind);
        var rule = GenerationView.Rule(generation, kind);
        var cancel = request.HttpContext.RequestAborted;
        // The caller's own: those its subject created, or with authentication off those created with it off.
        var createdBy = find.Mine ? new Creator(request.HttpContext.CallerSubject()) : null;
        if (generation == ApiGeneration.V0)
        {
            return new StreamedFind(name, index.FindAsync(kind, find.Filter, find.Projection, createdBy, cancel), rule,
                projected: find.Projection is not null);
        }
        var after = find.After is null ? null : FindCursor.Decode(find.After, kind);
        var maxBytes = request.HttpContext.RequestServices.GetRequiredService<IOptions<ApiOptions>>().Value.UserQueryMaxBytes;
        return new PagedFind(name, index.FindPageAsync(kind, find.Filter, find.Projection, after, createdBy, cancel), rule,
            find.Projection is not null, maxBytes);
    }
}
