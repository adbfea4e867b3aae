using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.Api.Endpoints;
using Wms.Api.Requests;
using Wms.Domain.Model;

namespace Wms.Api;

/// <summary>Registers and maps the /v0 API.</summary>
public static class WmsApi
{
    public static IServiceCollection AddWmsApi(this IServiceCollection services)
    {
        services.AddSingleton<ClusterLocationCatalog>();
        services.AddSingleton<PilotTagResolver>();
        services.AddSingleton<WorkflowRequestReader>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJsonContext.Default);
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        services.AddOpenApi(SchemaEndpoints.DocumentName, o => o.AddSchemaTransformer(WireSchemaTransformer.TransformAsync)
            .AddOperationTransformer(EndpointDocs.DescribeBodyAsync)
            .AddOperationTransformer(EndpointDocs.DescribeIdempotencyKeyAsync)
            .AddOperationTransformer(AuthDocs.DescribeRolesAsync)
            .AddDocumentTransformer(AuthDocs.AddSecuritySchemeAsync)
            .AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "EWMS Workflow Management Service";
            document.Info.Version = "0";
            document.Info.Description = "Task-based workflows on HTCondor, joined by message queues.";
            // The served address depends on how the request arrived; keep the document the same everywhere.
            document.Servers?.Clear();
            return Task.CompletedTask;
        }));
        return services;
    }

    public static void MapWmsApi(this IEndpointRouteBuilder routes)
    {
        routes.MapRootEndpoints();
        routes.MapWorkflowEndpoints();
        routes.MapTaskDirectiveEndpoints();
        routes.MapTaskforceEndpoints();
        routes.MapQueryEndpoints();
        routes.MapTmsEndpoints();
        routes.MapMqsEndpoints();
        routes.MapSchemaEndpoints();
    }
}
