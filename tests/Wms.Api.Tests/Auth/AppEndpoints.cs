using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Wms.Api.Auth;

namespace Wms.Api.Tests.Auth;

/// <summary>One routed endpoint of a running app, with a request that reaches it.</summary>
public sealed record AppEndpoint(string Method, string Pattern, RoleRequirement? Roles)
{
    public const string WorkflowId = "WF-6650a1b2-0badf00d";
    public const string TaskId = "TK-6650a1b2-0badf00d-0badf00d";
    public const string TaskforceUuid = "TF-6650a1b2-0badf00d-0badf00d-0badf00d";

    public string Key => $"{Method} {Pattern}";

    /// <summary>
    /// Every routed endpoint the app serves, from its own endpoint data source (not a hand-written list), so an
    /// endpoint added later is in the matrix without anyone remembering to put it there.
    /// </summary>
    public static List<AppEndpoint> Of(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
                .Select(m => new AppEndpoint(m, e.RoutePattern.RawText!, e.Metadata.GetMetadata<RoleRequirement>())))
            .OrderBy(e => e.Key, StringComparer.Ordinal)
            .ToList();

    /// <summary>
    /// A request that reaches the handler: ids well-formed but unknown, a pool named, and <c>{}</c> as the body,
    /// so an admitted caller gets the handler's own answer (2xx, 400 or 404) and nothing is changed.
    /// </summary>
    public HttpRequestMessage Request()
    {
        var path = Pattern.TrimStart('/')
            // The API reference's generations: /docs/v1 and /docs/openapi/v1.json.
            .Replace("docs/{documentName?}", "docs/v1", StringComparison.Ordinal)
            .Replace("docs/openapi/{documentName}", "docs/openapi/v1", StringComparison.Ordinal)
            // The web view's files: one that is there.
            .Replace("ui/assets/{name}", "ui/assets/list.js", StringComparison.Ordinal)
            .Replace("{workflow_id}", WorkflowId, StringComparison.Ordinal)
            .Replace("{task_id}", TaskId, StringComparison.Ordinal)
            .Replace("{taskforce_uuid}", TaskforceUuid, StringComparison.Ordinal)
            .Replace("{documentName}", "openapi", StringComparison.Ordinal);
        if (path.Contains('{', StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the matrix does not know how to fill the route {Pattern}");
        }
        if (Method == "GET" && path.StartsWith("v0/tms/", StringComparison.Ordinal))
        {
            path += "?collector=COLLECTOR1&schedd=SCHEDD1";
        }
        var request = new HttpRequestMessage(new HttpMethod(Method), path);
        if (Method == "POST")
        {
            request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
        }
        return request;
    }
}
