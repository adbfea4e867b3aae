using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Scalar.AspNetCore;
using Wms.Api.Auth;
using Wms.Api.Errors;
using Wms.Api.Security;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>
/// The interactive API reference at <c>/docs</c> (Scalar), one document per served generation, built from the same
/// generated OpenAPI documents as <c>/v0/schema/openapi</c> and <c>/v1/schema/openapi</c>. Everything it needs is
/// served from here: its script is embedded in the package, and every option that would reach another host (the
/// default fonts, telemetry, the AI agent, MCP) is off.
/// </summary>
public static class ApiReferenceEndpoints
{
    public const string Prefix = "/docs";

    /// <summary>
    /// Where the page reads a generation's document, e.g. <c>/docs/openapi/v1.json</c>. Open to anyone, unlike
    /// <c>/v*/schema/openapi</c>: a browser opening the page sends no token, and the schema is no secret.
    /// </summary>
    public const string DocumentRoute = Prefix + "/openapi/{documentName}.json";

    private const string DocumentNameValue = "documentName";

    public static void MapApiReference(this IEndpointRouteBuilder routes)
    {
        routes.MapOpenApi(DocumentRoute).AllowAnyCaller().ServedAsBrowserPage()
            .Add(e => e.RequestDelegate = ServeGeneration(e.RequestDelegate!));
        routes.MapScalarApiReference(Prefix, Configure).AllowAnyCaller().ServedAsBrowserPage()
            .Add(e =>
            {
                // The page itself, at /docs/{documentName?}, shows a served generation or both; its assets have
                // routes of their own.
                if (e is RouteEndpointBuilder page && page.RoutePattern.Parameters.Any(p => p.Name == DocumentNameValue))
                {
                    page.RequestDelegate = OnlyServedGenerations(page.RequestDelegate!);
                }
            });
    }

    private static void Configure(ScalarOptions options, HttpContext context)
    {
        options.Title = "EWMS Workflow Management Service";
        options.OpenApiRoutePattern = DocumentRoute;
        foreach (var generation in Generations.Served)
        {
            var name = NameOf(generation);
            options.AddDocument(name, $"{generation.Prefix()} ({Era(generation)})", isDefault: generation == ApiGeneration.V1);
        }
        // Each of these would reach a host other than this service: fonts from Scalar's CDN, usage counts, the AI
        // chat and its MCP server, and the toolbar's links to Scalar's own services.
        options.DefaultFonts = false;
        options.Telemetry = false;
        options.Agent = new ScalarAgentOptions { Disabled = true };
        options.Mcp = new ScalarMcpOptions { Disabled = true };
        options.ShowDeveloperTools = DeveloperToolsVisibility.Never;
        options.DefaultOpenAllTags = true;
        // The page's inline start-up script runs only with this request's nonce (BrowserPage's policy).
        options.Nonce = BrowserPage.NonceFor(context);
    }

    private static string NameOf(ApiGeneration generation) => generation.Prefix().TrimStart('/');

    private static string Era(ApiGeneration generation) =>
        generation == ApiGeneration.V1 ? "today's EWMS" : "the 2024 protocol";

    private static ApiGeneration? GenerationNamed(string? name) =>
        Generations.Served.Cast<ApiGeneration?>().FirstOrDefault(g => NameOf(g!.Value) == name);

    /// <summary>
    /// Serves the generation named in the route (<c>v0</c>, <c>v1</c>) from its generated document, whose own name
    /// differs (the <c>/v0</c> document is named so that it is served at /v0/schema/openapi).
    /// </summary>
    private static RequestDelegate ServeGeneration(RequestDelegate serve) => context =>
    {
        var named = context.GetRouteValue(DocumentNameValue) as string;
        if (GenerationNamed(named) is not { } generation)
        {
            return ApiError.NotFound($"no API reference named {named}").ExecuteAsync(context);
        }
        context.Request.RouteValues[DocumentNameValue] = generation.DocumentName();
        return serve(context);
    };

    /// <summary>The page for a generation that is not served would show nothing but a failed load: 404 instead.</summary>
    private static RequestDelegate OnlyServedGenerations(RequestDelegate serve) => context =>
        context.GetRouteValue(DocumentNameValue) is not string { Length: > 0 } named || GenerationNamed(named) is not null
            ? serve(context)
            : ApiError.NotFound($"no API reference named {named}").ExecuteAsync(context);
}
