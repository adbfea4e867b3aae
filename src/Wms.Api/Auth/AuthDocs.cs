using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Wms.Api.Auth;

/// <summary>Describes authentication in the OpenAPI document: one bearer scheme, and each operation's roles.</summary>
public static class AuthDocs
{
    public const string SchemeName = "bearer";

    public static Task AddSecuritySchemeAsync(
        OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[SchemeName] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT",
            Description = "An OpenID Connect access token. A missing or invalid token answers 403 'authentication " +
                "failed'; a valid token without a role the operation admits answers 403 'authorization failed'.",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(SchemeName, document)] = [] });
        return Task.CompletedTask;
    }

    public static Task DescribeRolesAsync(
        OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<RoleRequirement>().FirstOrDefault() is { } roles)
        {
            // After what the endpoint says of itself, if anything.
            operation.Description = string.IsNullOrEmpty(operation.Description)
                ? $"Roles: {roles}."
                : $"{operation.Description}\n\nRoles: {roles}.";
        }
        return Task.CompletedTask;
    }
}
