using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Responses;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>Reading one taskforce.</summary>
public static class TaskforceEndpoints
{
    public static void MapTaskforceEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/v0/taskforces/{taskforce_uuid}", GetAsync).WithName("GetTaskforce")
            .Describe<TaskforceDocument>("taskforces", "Get a taskforce", 404)
            .RequireWmsRoles(WmsRole.User, WmsRole.Tms);

    private static async Task<IResult> GetAsync(string taskforce_uuid, IObjectIndex index, CancellationToken cancel)
    {
        var json = Ids.IsTaskforceUuid(taskforce_uuid)
            ? await index.GetJsonAsync(ObjectKind.Taskforce, taskforce_uuid, cancel)
            : null;
        return json is null ? ApiError.NotFound($"no taskforce found with uuid: {taskforce_uuid}") : new RawJson(json);
    }
}
