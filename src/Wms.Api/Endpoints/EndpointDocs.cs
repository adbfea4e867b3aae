using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
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

    /// <summary>
    /// Documents the JSON body. Only documents it: declaring accepted content types would make routing answer 415
    /// to clients that send JSON without saying so, and every body is read as JSON whatever its label.
    /// </summary>
    public static RouteHandlerBuilder Takes<TBody>(this RouteHandlerBuilder endpoint)
        where TBody : notnull =>
        endpoint.WithMetadata(new RequestBodyDoc(typeof(TBody)));

    /// <summary>Adds the documented body to each operation that has one.</summary>
    public static async Task DescribeBodyAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var body = context.Description.ActionDescriptor.EndpointMetadata.OfType<RequestBodyDoc>().FirstOrDefault();
        if (body is null)
        {
            return;
        }
        var schema = await context.GetOrCreateSchemaAsync(body.Type, null, cancellationToken);
        operation.RequestBody = new OpenApiRequestBody
        {
            Required = true,
            Content = new Dictionary<string, OpenApiMediaType> { ["application/json"] = new() { Schema = schema } },
        };
    }

    /// <summary>Documents the optional <c>Idempotency-Key</c> header and the 422 that a reused key answers.</summary>
    public static RouteHandlerBuilder TakesIdempotencyKey(this RouteHandlerBuilder endpoint) =>
        endpoint.WithMetadata(new IdempotencyKeyDoc()).Produces<ErrorBody>(StatusCodes.Status422UnprocessableEntity, "application/json");

    /// <summary>Adds the idempotency key header to each operation that takes one.</summary>
    public static Task DescribeIdempotencyKeyAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<IdempotencyKeyDoc>().Any())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = Requests.IdempotencyKey.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: a repeat with the same key and body answers the first answer and "
                    + "makes nothing; the same key with another body answers 422. Kept for at least 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = Requests.IdempotencyKey.MaxLength },
            });
        }
        return Task.CompletedTask;
    }

    /// <summary>
    /// Documents a query argument the handler reads itself: whether it is required, and what it means. An argument
    /// the handler's signature already names is described in place; any other is added.
    /// </summary>
    public static RouteHandlerBuilder TakesQuery(
        this RouteHandlerBuilder endpoint, string name, string description, bool required = true, bool deprecated = false) =>
        endpoint.WithMetadata(new QueryDoc(name, description, required, deprecated));

    /// <summary>Describes each documented query argument of an operation.</summary>
    public static Task DescribeQueryAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        foreach (var query in context.Description.ActionDescriptor.EndpointMetadata.OfType<QueryDoc>())
        {
            operation.Parameters ??= [];
            var parameter = operation.Parameters.OfType<OpenApiParameter>()
                .FirstOrDefault(p => p.In == ParameterLocation.Query && p.Name == query.Name);
            if (parameter is null)
            {
                parameter = new OpenApiParameter
                {
                    Name = query.Name,
                    In = ParameterLocation.Query,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
                operation.Parameters.Add(parameter);
            }
            parameter.Required = query.Required;
            parameter.Deprecated = query.Deprecated;
            parameter.Description = query.Description;
        }
        return Task.CompletedTask;
    }

    private sealed record RequestBodyDoc(Type Type);

    private sealed record QueryDoc(string Name, string Description, bool Required, bool Deprecated);

    private sealed record IdempotencyKeyDoc;
}
