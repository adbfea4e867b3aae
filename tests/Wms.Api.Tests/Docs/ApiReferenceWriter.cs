using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;

namespace Wms.Api.Tests.Docs;

/// <summary>
/// Renders our two OpenAPI documents as one Markdown reference: what <c>/v1</c> changes, then every endpoint and
/// object of each generation. Objects keep one name in both documents, so each generation's are linked under anchors
/// of their own.
/// </summary>
public static class ApiReferenceWriter
{
    public static string Render(JsonObject v0, JsonObject v1)
    {
        var md = new StringBuilder();
        md.AppendLine("# WMS API reference");
        md.AppendLine();
        md.AppendLine("Generated from the service's own OpenAPI documents, one per generation: `GET /v0/schema/openapi`");
        md.AppendLine("(copied in `openapi.json` beside this file) and `GET /v1/schema/openapi` (copied in `openapi-v1.json`).");
        md.AppendLine("A test fails when any of the three drifts from the code; to refresh them, run the tests with");
        md.AppendLine("`WMS_UPDATE_DOCS=1`.");
        md.AppendLine();
        md.AppendLine("Both generations are served side by side from one store: a workflow made through either is read, found");
        md.AppendLine("and driven through both, and each shows it in its own shape. `/v0` is the original service's `/v0`;");
        md.AppendLine("`/v1` is the one today's TMS speaks. The public queue profiles (both) and add-workers (`/v0`) are our");
        md.AppendLine("extensions.");
        md.AppendLine();
        md.AppendLine("Every error answers `{\"code\": <status>, \"error\": <text>}`, and the text is also the HTTP reason phrase.");
        md.AppendLine();
        md.AppendLine("Every call carries a bearer token (`Authorization: Bearer <JWT>`). Each endpoint names the roles it");
        md.AppendLine("admits (`user`, `system-tms`); a missing or invalid token answers 403 `authentication failed`, a");
        md.AppendLine("valid one without an admitted role 403 `authorization failed`.");
        md.AppendLine();
        md.AppendLine("Contents: [What /v1 changes](#what-v1-changes), [/v0 endpoints](#v0-endpoints),");
        md.AppendLine("[/v0 objects](#v0-objects), [/v1 endpoints](#v1-endpoints), [/v1 objects](#v1-objects).");
        Changes(md, v0, v1);
        Generation(md, "v0", v0);
        Generation(md, "v1", v1);
        return md.ToString();
    }

    /// <summary>The routes and object members that differ between the generations, found by comparing the documents.</summary>
    private static void Changes(StringBuilder md, JsonObject v0, JsonObject v1)
    {
        md.AppendLine();
        md.AppendLine("## What /v1 changes");
        md.AppendLine();
        md.AppendLine("Routes that are in one generation only, or take or answer another object (the same route under the");
        md.AppendLine("other prefix otherwise):");
        md.AppendLine();
        md.AppendLine("| Route | /v0 | /v1 |");
        md.AppendLine("|---|---|---|");
        var routes0 = Operations(v0, "v0");
        var routes1 = Operations(v1, "v1");
        foreach (var route in routes0.Keys.Union(routes1.Keys))
        {
            var in0 = routes0.GetValueOrDefault(route);
            var in1 = routes1.GetValueOrDefault(route);
            if (in0 is null || in1 is null || Shape(in0, "v0", false) != Shape(in1, "v1", false))
            {
                md.AppendLine(CultureInfo.InvariantCulture,
                    $"| `{route}` | {(in0 is null ? "–" : Shape(in0, "v0", true))} | {(in1 is null ? "–" : Shape(in1, "v1", true))} |");
            }
        }
        md.AppendLine();
        md.AppendLine("Objects and request bodies whose members differ (a member's type as each generation shows it, and");
        md.AppendLine("`–` where it is not there; `a.b` is a member of the object in `a`, `a[].b` one of the objects in");
        md.AppendLine("its items):");
        md.AppendLine();
        md.AppendLine("| Object | Member | /v0 | /v1 |");
        md.AppendLine("|---|---|---|---|");
        var objects0 = Objects(v0, routes0);
        var objects1 = Objects(v1, routes1);
        foreach (var name in objects0.Keys.Union(objects1.Keys))
        {
            var members0 = Members(objects0.GetValueOrDefault(name), "v0");
            var members1 = Members(objects1.GetValueOrDefault(name), "v1");
            foreach (var member in members0.Keys.Union(members1.Keys))
            {
                var in0 = members0.GetValueOrDefault(member);
                var in1 = members1.GetValueOrDefault(member);
                if (in0?.Plain != in1?.Plain)
                {
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"| {name} | `{member}` | {in0?.Linked ?? "–"} | {in1?.Linked ?? "–"} |");
                }
            }
        }
    }

    /// <summary>The named objects, then the request bodies written out in place, named by their route.</summary>
    private static Dictionary<string, JsonNode?> Objects(JsonObject document, Dictionary<string, JsonNode> routes)
    {
        var objects = Schemas(document).ToDictionary(s => s.Key, s => s.Value);
        foreach (var (route, operation) in routes)
        {
            if (operation["requestBody"]?["content"]?["application/json"]?["schema"] is JsonObject body
                && body["properties"] is not null)
            {
                objects[$"body of `{route}`"] = body;
            }
        }
        return objects;
    }

    private static void Generation(StringBuilder md, string generation, JsonObject document)
    {
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## /{generation} endpoints");
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
                    md.AppendLine("Parameters:");
                    foreach (var parameter in parameters)
                    {
                        md.AppendLine("- " + Parameter(parameter));
                    }
                }
                if (op?["requestBody"]?["content"]?["application/json"]?["schema"] is { } body)
                {
                    md.AppendLine();
                    md.AppendLine(CultureInfo.InvariantCulture, $"Body: {TypeName(body, generation)}");
                    if (body["properties"] is JsonObject)
                    {
                        md.AppendLine();
                        FieldTable(md, body, generation);
                    }
                }
                md.AppendLine();
                md.AppendLine("Answers:");
                foreach (var (status, response) in op!["responses"]!.AsObject())
                {
                    var schema = response?["content"]?["application/json"]?["schema"];
                    md.AppendLine(CultureInfo.InvariantCulture,
                        $"- {status}: {(schema is not null ? TypeName(schema, generation) : IsEventStream(response) ? EventStream : "no body")}");
                }
            }
        }
        md.AppendLine();
        md.AppendLine(CultureInfo.InvariantCulture, $"## /{generation} objects");
        foreach (var (name, schema) in Schemas(document))
        {
            md.AppendLine();
            md.AppendLine(CultureInfo.InvariantCulture, $"### <a id=\"{Anchor(generation, name)}\"></a>{name} (/{generation})");
            if (schema?["description"] is { } description)
            {
                md.AppendLine();
                md.AppendLine(description.ToString());
            }
            if (schema?["properties"] is not JsonObject)
            {
                md.AppendLine();
                md.AppendLine(CultureInfo.InvariantCulture, $"Type: {TypeName(schema!, generation)}");
                continue;
            }
            md.AppendLine();
            FieldTable(md, schema, generation);
        }
    }

    private static string Parameter(JsonNode? p)
    {
        var notes = new List<string> { p?["in"]!.ToString() ?? "" };
        if (p?["required"]?.GetValue<bool>() == true)
        {
            notes.Add("required");
        }
        if (p?["deprecated"]?.GetValue<bool>() == true)
        {
            notes.Add("deprecated");
        }
        var text = $"`{p?["name"]}` ({string.Join(", ", notes)})";
        return p?["description"] is { } description ? $"{text}: {description}" : text;
    }

    /// <summary>A table of an object's members, and of those of the objects written out inside it.</summary>
    private static void FieldTable(StringBuilder md, JsonNode schema, string generation)
    {
        var fields = Fields(schema, "").ToList();
        var described = fields.Any(f => f.Schema["description"] is not null);
        md.AppendLine(described ? "| Field | Type | Required | Notes |" : "| Field | Type | Required |");
        md.AppendLine(described ? "|---|---|---|---|" : "|---|---|---|");
        foreach (var (path, fieldSchema, required) in fields)
        {
            var row = $"| `{path}` | {TypeName(fieldSchema, generation)} | {(required ? "yes" : "no")} |";
            if (described)
            {
                var notes = fieldSchema["deprecated"]?.GetValue<bool>() == true ? "Deprecated. " : "";
                row += $" {notes}{fieldSchema["description"]} |";
            }
            md.AppendLine(row);
        }
    }

    /// <summary>
    /// An object's members by their path: <c>a.b</c> is a member of the object written out in <c>a</c>, <c>a[].b</c>
    /// one of the objects in its items. A referenced object is not entered: it has a table of its own.
    /// </summary>
    private static IEnumerable<(string Path, JsonNode Schema, bool Required)> Fields(JsonNode? schema, string prefix)
    {
        var required = (schema?["required"] as JsonArray)?.Select(r => r!.ToString()).ToHashSet() ?? [];
        foreach (var (name, member) in schema?["properties"] as JsonObject ?? [])
        {
            yield return (prefix + name, member!, required.Contains(name));
            var inner = Fields(member, $"{prefix}{name}.").Concat(Fields(member?["items"], $"{prefix}{name}[]."));
            foreach (var field in inner)
            {
                yield return field;
            }
        }
    }

    /// <summary>Each operation by its route under a common prefix (<c>/vN</c>), e.g. <c>GET /vN/taskforces/{taskforce_uuid}</c>.</summary>
    private static Dictionary<string, JsonNode> Operations(JsonObject document, string generation) =>
        document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(m => (
                Route: $"{m.Key.ToUpperInvariant()} /vN{p.Key[(generation.Length + 1)..]}",
                Operation: m.Value!)))
            .ToDictionary(x => x.Route, x => x.Operation);

    /// <summary>What an operation takes and answers when it succeeds.</summary>
    private static string Shape(JsonNode operation, string generation, bool linked)
    {
        var body = operation["requestBody"]?["content"]?["application/json"]?["schema"];
        var answer = operation["responses"]?["200"]?["content"]?["application/json"]?["schema"];
        string Name(JsonNode schema) => linked ? TypeName(schema, generation) : TypeName(schema, "");
        var answers = answer is not null ? $"answers {Name(answer)}"
            : IsEventStream(operation["responses"]?["200"]) ? $"answers {EventStream}" : "answers no body";
        return (body is null ? "" : $"takes {Name(body)}, ") + answers;
    }

    private const string EventStream = "an event stream (text/event-stream)";

    private static bool IsEventStream(JsonNode? response) => response?["content"]?["text/event-stream"] is not null;

    private static JsonObject Schemas(JsonObject document) => document["components"]?["schemas"]?.AsObject() ?? [];

    /// <summary>An object's members, and those of the objects written out inside it, by their path.</summary>
    private static Dictionary<string, Member> Members(JsonNode? schema, string generation) =>
        Fields(schema, "").ToDictionary(f => f.Path, f =>
        {
            var optional = f.Required ? "" : ", optional";
            return new Member(TypeName(f.Schema, "") + optional, TypeName(f.Schema, generation) + optional);
        });

    private sealed record Member(string Plain, string Linked);

    private static string Anchor(string generation, string name) => $"{generation}-{name.ToLowerInvariant()}";

    /// <summary>A schema's type in words; a reference links to the object of the same generation (none when empty).</summary>
    private static string TypeName(JsonNode schema, string generation)
    {
        if (schema["$ref"] is { } reference)
        {
            var name = reference.ToString().Split('/').Last();
            return generation.Length == 0 ? name : $"[{name}](#{Anchor(generation, name)})";
        }
        if ((schema["oneOf"] ?? schema["anyOf"]) is JsonArray alternatives)
        {
            return string.Join(" or ", alternatives.Select(a => TypeName(a!, generation)));
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
        if (schema["minimum"] is { } minimum && schema["maximum"] is { } maximum)
        {
            type += $" ({minimum} to {maximum})";
        }
        if (schema["items"] is { } items)
        {
            type += " of " + TypeName(items, generation);
        }
        if (schema["additionalProperties"] is JsonObject map)
        {
            type += " of name → " + TypeName(map, generation);
        }
        return type;
    }
}
