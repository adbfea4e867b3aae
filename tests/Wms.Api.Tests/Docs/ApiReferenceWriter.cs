using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Wms.Api.Tests.Docs;

/// <summary>Renders our OpenAPI document as a Markdown reference of every endpoint and object.</summary>
public static class ApiReferenceWriter
{
    public static string Render(JsonObject document)
    {
        var md = new StringBuilder();
        md.AppendLine("# WMS /v0 API reference");
        md.AppendLine();
        md.AppendLine("Generated from the service's own OpenAPI document (`GET /v0/schema/openapi`, copied in");
        md.AppendLine("`openapi.json` beside this file). A test fails when either drifts from the code; to refresh both,");
        md.AppendLine("run the tests with `WMS_UPDATE_DOCS=1`.");
        md.AppendLine();
        md.AppendLine("Every error answers `{\"code\": <status>, \"error\": <text>}`, and the text is also the HTTP reason phrase.");
        md.AppendLine();
        md.AppendLine("Every call carries a bearer token (`Authorization: Bearer <JWT>`). Each endpoint names the roles it");
        md.AppendLine("admits (`user`, `system-tms`); a missing or invalid token answers 403 `authentication failed`, a");
        md.AppendLine("valid one without an admitted role 403 `authorization failed`.");
        md.AppendLine();
        md.AppendLine("## Endpoints");
        md.AppendLine();
        md.AppendLine("| Method | Path | Summary |");
        md.AppendLine("|---|---|---|");
        var paths = document["paths"]!.AsObject();
        foreach (var (path, item) in paths)
        {
            foreach (var (method, op) in item!.AsObject())
            {
                md.AppendLine(CultureInfo.InvariantCulture, $"| {method.ToUpperInvariant()} | `{path}` | {op?["summary"]} |");
            }
        }
        foreach (var (path, item) in paths)
        {
            foreach (var (method, op) in item!.AsObject())
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"### {method.ToUpperInvariant()} `{path}`");
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"{op?["summary"]}.");
                if (op?["description"] is { } description)
                {
                    md.AppendLine();
                    md.AppendLine(description.ToString());
                }
                if (op?["parameters"] is JsonArray parameters && parameters.Count > 0)
                {
                    md.AppendLine();
                    md.AppendLine("Parameters: " + string.Join(", ", parameters.Select(p =>
                        $"`{p?["name"]}` ({p?["in"]}{(p?["required"]?.GetValue<bool>() == true ? ", required" : "")})")));
                }
                if (op?["requestBody"]?["content"]?["application/json"]?["schema"] is { } body)
                {
                    md.AppendLine();
                    md.AppendLine(CultureInfo.InvariantCulture, $"Body: {TypeName(body)}");
                    if (body["properties"] is JsonObject)
                    {
                        md.AppendLine();
                        FieldTable(md, body);
                    }
                }
                md.AppendLine();
                md.AppendLine("Answers:");
                foreach (var (status, response) in op!["responses"]!.AsObject())
                {
                    var schema = response?["content"]?["application/json"]?["schema"];
                    md.AppendLine(CultureInfo.InvariantCulture, $"- {status}: {(schema is null ? "no body" : TypeName(schema))}");
                }
            }
        }
        md.AppendLine();
        md.AppendLine("## Objects");
        foreach (var (name, schema) in document["components"]?["schemas"]?.AsObject() ?? [])
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### {name}");
            if (schema?["description"] is { } description)
            {
                md.AppendLine();
                md.AppendLine(description.ToString());
            }
            if (schema?["properties"] is not JsonObject)
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"Type: {TypeName(schema!)}");
                continue;
            }
            md.AppendLine();
            FieldTable(md, schema);
        }
        return md.ToString();
    }

    private static void FieldTable(StringBuilder md, JsonNode schema)
    {
        var required = (schema["required"] as JsonArray)?.Select(r => r!.ToString()).ToHashSet() ?? [];
        md.AppendLine("| Field | Type | Required |");
        md.AppendLine("|---|---|---|");
        foreach (var (field, fieldSchema) in schema["properties"]!.AsObject())
        {
            md.AppendLine(CultureInfo.InvariantCulture, $"| `{field}` | {TypeName(fieldSchema!)} | {(required.Contains(field) ? "yes" : "no")} |");
        }
    }

    private static string TypeName(JsonNode schema)
    {
        if (schema["$ref"] is { } reference)
        {
            var name = reference.ToString().Split('/').Last();
            return $"[{name}](#{name.ToLowerInvariant()})";
        }
        var type = schema["type"] switch
        {
            JsonArray types => string.Join(" or ", types.Select(t => t!.ToString())),
            { } single => single.ToString(),
            null => "any",
        };
        if (schema["enum"] is JsonArray values)
        {
            type += " (one of " + string.Join(", ", values.Select(v => $"`{v}`")) + ")";
        }
        if (schema["items"] is { } items)
        {
            type += " of " + TypeName(items);
        }
        if (schema["additionalProperties"] is JsonObject map)
        {
            type += " of name → " + TypeName(map);
        }
        return type;
    }
}
