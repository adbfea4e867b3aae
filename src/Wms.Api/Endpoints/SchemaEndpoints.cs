using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Wms.Api.Auth;
using Wms.Api.Errors;

namespace Wms.Api.Endpoints;

/// <summary>This service's own OpenAPI document, generated from the endpoints' descriptions.</summary>
public static class SchemaEndpoints
{
    /// <summary>The generated <c>/v0</c> document is named so that it is served at exactly /v0/schema/openapi.</summary>
    public const string DocumentName = "openapi";

    /// <summary>
    /// The <c>/v1</c> document. Its route names no document, and a route that names none serves the document of
    /// this name.
    /// </summary>
    public const string DocumentNameV1 = "v1";

    public static void MapSchemaEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi("/v0/schema/{documentName}").RequireWmsRoles(WmsRole.User, WmsRole.Tms)
            .Add(e => e.RequestDelegate = OnlyDocument(DocumentName, e.RequestDelegate!));
        routes.MapOpenApi("/v1/schema/openapi").RequireWmsRoles(WmsRole.User, WmsRole.Tms);
    }

    /// <summary>Serves the document only under its own name: <c>/v0/schema/v1</c> is not the <c>/v1</c> document.</summary>
    private static RequestDelegate OnlyDocument(string name, RequestDelegate serve) => context =>
        context.GetRouteValue("documentName") as string == name
            ? serve(context)
            : ApiError.NotFound($"no schema named {context.GetRouteValue("documentName")}").ExecuteAsync(context);
}
