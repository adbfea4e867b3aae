using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wms.Api.Wire;

namespace Wms.Api.Endpoints;

/// <summary>Describes an endpoint for the generated OpenAPI document: who it is for, what it takes and answers.</summary>
public static class EndpointDocs
{
    public static RouteHandlerBuilder Describe<TResponse>(
        this RouteHandlerBuilder endpoint, string tag, string summary, params int[] errors)
    {
        endpoint.WithTags(tag).WithSummary(summary).Produces<TResponse>(StatusCodes.Status200OK, "application/json");
        foreach (var code in errors.Prepend(StatusCodes.Status400BadRequest).Distinct())
        {
            endpoint.Produces<ErrorBody>(code, "application/json");
        }
        return endpoint;
    }

    public static RouteHandlerBuilder Takes<TBody>(this RouteHandlerBuilder endpoint)
        where TBody : notnull =>
        endpoint.Accepts<TBody>("application/json");
}
