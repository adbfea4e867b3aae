using Microsoft.AspNetCore.Builder;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>Where each protocol generation is served, and how its endpoints are named and documented.</summary>
public static class Generations
{
    public static readonly IReadOnlyList<ApiGeneration> Served = [ApiGeneration.V0, ApiGeneration.V1];

    /// <summary>The path prefix, <c>/v0</c> or <c>/v1</c>.</summary>
    public static string Prefix(this ApiGeneration generation) => generation == ApiGeneration.V1 ? "/v1" : "/v0";

    /// <summary>The OpenAPI document an endpoint of this generation belongs to.</summary>
    public static string DocumentName(this ApiGeneration generation) =>
        generation == ApiGeneration.V1 ? SchemaEndpoints.DocumentNameV1 : SchemaEndpoints.DocumentName;

    /// <summary>
    /// Names the endpoint uniquely (the <c>/v0</c> names stay as they were) and puts it in its generation's document.
    /// </summary>
    public static RouteHandlerBuilder For(this RouteHandlerBuilder endpoint, ApiGeneration generation, string name) =>
        endpoint.WithName(generation == ApiGeneration.V1 ? name + "V1" : name).WithGroupName(generation.DocumentName());
}
