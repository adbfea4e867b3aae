using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Rendering;
using Wms.Api.Responses;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>Reading one taskforce.</summary>
public static class TaskforceEndpoints
{
    public static void MapTaskforceEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation) =>
        routes.MapGet(generation.Prefix() + "/taskforces/{taskforce_uuid}",
                (string taskforce_uuid, IObjectIndex index, CancellationToken cancel) =>
                    GetAsync(generation, taskforce_uuid, index, cancel))
            .For(generation, "GetTaskforce")
            .Describe<TaskforceDocument>("taskforces", "Get a taskforce", 404)
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);

    private static async Task<IResult> GetAsync(
        ApiGeneration generation, string taskforceUuid, IObjectIndex index, CancellationToken cancel)
    {
        var json = Ids.IsTaskforceUuid(taskforceUuid)
            ? await index.GetJsonAsync(ObjectKind.Taskforce, taskforceUuid, cancel)
            : null;
        return json is null
            ? ApiError.NotFound($"no taskforce found with uuid: {taskforceUuid}")
            : new RawJson(GenerationView.Render(generation, ObjectKind.Taskforce, json));
    }
}
