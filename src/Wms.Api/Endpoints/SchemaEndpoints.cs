using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.Routing;
using Microsoft.OpenApi;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Wire;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>This service's own OpenAPI documents, one per generation, generated from the endpoints' descriptions.</summary>
public static class SchemaEndpoints
{
    /// <summary>The generated <c>/v0</c> document is named so that it is served at exactly /v0/schema/openapi.</summary>
    public const string DocumentName = "openapi";

    /// <summary>
    /// The <c>/v1</c> document. Its route names no document, and a route that names none serves the document of
    /// this name.
    /// </summary>
    public const string DocumentNameV1 = "v1";

    private const string Tag = "schema";

    private static readonly WmsRole[] Roles = [WmsRole.User, WmsRole.Tms];

    public static void MapSchemaEndpoints(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi("/v0/schema/{documentName}").RequireWmsRoles(Roles)
            .Add(e => e.RequestDelegate = OnlyDocument(DocumentName, e.RequestDelegate!));
        routes.MapOpenApi("/v1/schema/openapi").RequireWmsRoles(Roles);
    }

    /// <summary>
    /// Puts in a generation's document the two routes upstream's document lists under the names it gives them: the
    /// root with its trailing slash, which the generator drops, and the document itself, which the generator leaves
    /// out as it is no endpoint of the API's own.
    /// </summary>
    public static Func<OpenApiDocument, OpenApiDocumentTransformerContext, CancellationToken, Task> Describe(
        ApiGeneration generation) => (document, _, _) =>
    {
        var root = generation.Prefix();
        var paths = new OpenApiPaths();
        foreach (var (path, item) in document.Paths)
        {
            if (path == root)
            {
                paths[root + "/"] = item;
                paths[root + "/schema/openapi"] = SchemaPath(document, generation);
            }
            else
            {
                paths[path] = item;
            }
        }
        document.Paths = paths;
        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = Tag });
        return Task.CompletedTask;
    };

    private static OpenApiPathItem SchemaPath(OpenApiDocument document, ApiGeneration generation) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                Tags = new HashSet<OpenApiTagReference> { new(Tag, document) },
                Summary = "This OpenAPI document",
                Description = $"Roles: {new RoleRequirement(Roles)}.",
                OperationId = generation == ApiGeneration.V1 ? "SchemaV1" : "Schema",
                Responses = new OpenApiResponses
                {
                    ["200"] = Answer("OK", new OpenApiSchema { Type = JsonSchemaType.Object }),
                    ["400"] = Answer("Bad Request", new OpenApiSchemaReference(nameof(ErrorBody), document)),
                    ["403"] = Answer("Forbidden", new OpenApiSchemaReference(nameof(ErrorBody), document)),
                },
            },
        },
    };

    private static OpenApiResponse Answer(string description, IOpenApiSchema schema) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
    };

    /// <summary>Serves the document only under its own name: <c>/v0/schema/v1</c> is not the <c>/v1</c> document.</summary>
    private static RequestDelegate OnlyDocument(string name, RequestDelegate serve) => context =>
        context.GetRouteValue("documentName") as string == name
            ? serve(context)
            : ApiError.NotFound($"no schema named {context.GetRouteValue("documentName")}").ExecuteAsync(context);
}
