using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Wms.Api.Auth;
using Wms.Api.Configuration;
using Wms.Api.Endpoints;
using Wms.Api.Errors;
using Wms.Api.Explain;
using Wms.Api.Responses;
using Wms.Api.Telemetry;
using Wms.Api.Watch;
using Wms.Domain.Model;
using Wms.Requests;

namespace Wms.Api;

/// <summary>Registers and maps the API, both generations.</summary>
public static class WmsApi
{
    public static IServiceCollection AddWmsApi(this IServiceCollection services)
    {
        services.AddSingleton<ClusterLocationCatalog>();
        services.AddSingleton<IClusterLocationCatalog>(s => s.GetRequiredService<ClusterLocationCatalog>());
        services.AddSingleton<IPilotTagResolver, PilotTagResolver>();
        services.AddSingleton<WorkflowRequestReader>();
        services.AddSingleton<StarterTasks>();
        // A grain call that never reached its grain (a silo leaving, say) is sent once more before anyone answers.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutgoingGrainCallFilter, UndeliveredCallRetry>());
        services.AddSingleton<ScheddPolls>();
        services.AddSingleton<TmsPollMetrics>();
        services.AddSingleton<ClusterScheddPolls>();
        services.AddSingleton<ScheddPollFlusher>();
        services.AddHostedService(s => s.GetRequiredService<ScheddPollFlusher>());
        services.AddSingleton<WorkflowExplainer>();
        // Live watch: this silo's watchers and their clients, told of explanations by the explain endpoints' own service.
        services.AddOptions<GrainInterfaces.Watch.WatchOptions>();
        services.TryAddSingleton<IWatchExplainer, WatchExplanations>();
        services.AddSingleton<WatchHub>();
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.TypeInfoResolverChain.Insert(0, WireJsonContext.Default);
            o.SerializerOptions.NumberHandling = JsonNumberHandling.Strict;
        });
        AddDocument(services, ApiGeneration.V0);
        AddDocument(services, ApiGeneration.V1);
        return services;
    }

    private static void AddDocument(IServiceCollection services, ApiGeneration generation) =>
        services.AddOpenApi(generation.DocumentName(), o => o.AddSchemaTransformer(WireSchemaTransformer.For(generation))
            .AddOperationTransformer(EndpointDocs.DescribeBodyAsync)
            .AddOperationTransformer(EndpointDocs.DescribeQueryAsync)
            .AddOperationTransformer(EndpointDocs.DescribeIdempotencyKeyAsync)
            .AddOperationTransformer(AuthDocs.DescribeRolesAsync)
            .AddDocumentTransformer(AuthDocs.AddSecuritySchemeAsync)
            .AddDocumentTransformer(SchemaEndpoints.Describe(generation))
            .AddDocumentTransformer((document, _, _) =>
            {
                document.Info.Title = "EWMS Workflow Management Service";
                document.Info.Version = generation == ApiGeneration.V1 ? "1" : "0";
                document.Info.Description = "Task-based workflows on HTCondor, joined by message queues.";
                // The served address depends on how the request arrived; keep the document the same everywhere.
                document.Servers?.Clear();
                return Task.CompletedTask;
            }));

    public static void MapWmsApi(this IEndpointRouteBuilder routes)
    {
        foreach (var generation in Generations.Served)
        {
            routes.MapRootEndpoints(generation);
            routes.MapWorkflowEndpoints(generation);
            routes.MapTaskDirectiveEndpoints(generation);
            routes.MapTaskforceEndpoints(generation);
            routes.MapStatusHistoryEndpoints(generation);
            routes.MapExplainEndpoints(generation);
            routes.MapEventEndpoints(generation);
            routes.MapQueryEndpoints(generation);
            routes.MapTmsEndpoints(generation);
            routes.MapMqsEndpoints(generation);
        }
        routes.MapSchemaEndpoints();
    }
}
