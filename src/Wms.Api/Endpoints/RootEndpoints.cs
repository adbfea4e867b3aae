using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Responses;
using Wms.Api.Wire;

namespace Wms.Api.Endpoints;

/// <summary>The API root.</summary>
public static class RootEndpoints
{
    public static void MapRootEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapGet("/v0/", () => RawJson.EmptyObject).WithName("Root").Describe<EmptyObjectBody>("root", "An empty object")
            .RequireWmsRoles(WmsRole.User);
}
