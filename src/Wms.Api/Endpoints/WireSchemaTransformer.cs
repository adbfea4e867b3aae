using System.Text.Json.Nodes;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using Wms.Domain.Model;

namespace Wms.Api.Endpoints;

/// <summary>
/// Tightens the generated schemas to what the service really enforces: a phase is one of the known phases, and a
/// configuration value has one of its three shapes.
/// </summary>
public static class WireSchemaTransformer
{
    public static Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken _)
    {
        var type = context.JsonTypeInfo.Type;
        if (context.JsonPropertyInfo is { Name: "phase" } && context.JsonPropertyInfo.DeclaringType == typeof(TaskforceDocument))
        {
            schema.Enum = Phase.All.Select(p => (JsonNode)JsonValue.Create(p)!).ToList();
        }
        if (type == typeof(ConfigValue))
        {
            schema.Description = "A string, an integer, or a non-empty list of strings.";
        }
        return Task.CompletedTask;
    }
}
