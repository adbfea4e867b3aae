using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Responses;
using Wms.Api.Wire;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>The API root.</summary>
public static class RootEndpoints
{
    public static void MapRootEndpoints(this IEndpointRouteBuilder routes, ApiGeneration generation) =>
        routes.MapGet(generation.Prefix() + "/", () => RawJson.EmptyObject).For(generation, "Root")
            .Describe<EmptyObjectBody>("root", "An empty object")
            .RequireWmsRoles(WmsRole.User);
}
