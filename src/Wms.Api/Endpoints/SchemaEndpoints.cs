using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;

namespace Wms.Api.Endpoints;

/// <summary>This service's own OpenAPI document, generated from the endpoints' descriptions.</summary>
public static class SchemaEndpoints
{
    /// <summary>The generated document is named so that it is served at exactly /v0/schema/openapi.</summary>
    public const string DocumentName = "openapi";

    public static void MapSchemaEndpoints(this IEndpointRouteBuilder routes) =>
        routes.MapOpenApi("/v0/schema/{documentName}").RequireWmsRoles(WmsRole.User, WmsRole.Tms);
}
