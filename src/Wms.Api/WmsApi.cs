using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Wms.Api.Configuration;
using Wms.Api.Endpoints;
using Wms.Api.Requests;

namespace Wms.Api;

/// <summary>Registers and maps the /v0 API.</summary>
public static class WmsApi
{
    public static IServiceCollection AddWmsApi(this IServiceCollection services)
    {
        services.AddSingleton<ClusterLocationCatalog>();
        services.AddSingleton<PilotTagResolver>();
        services.AddSingleton<WorkflowRequestReader>();
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
    }
}
