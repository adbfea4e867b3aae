using System.Globalization;
using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>
/// The structure of the WMS <c>/v0</c> OpenAPI document (embedded fixture), with checks of
/// request and response bodies against it. Immutable and safe to share between tests.
/// </summary>
public sealed class V0Schema
{
    private const string ResourceName = "Wms.Testing.Fixtures.ewms-wms-v0-structure.json";
    private static readonly Lazy<V0Schema> SharedInstance = new(() => new V0Schema());

    private readonly JsonObject _document;
    private readonly JsonSchemaSubset _validator;
    private readonly PathTemplate[] _templates;

    /// <summary>Loads the embedded v0 structure fixture.</summary>
    public V0Schema()
        : this(LoadEmbedded())
    {
    }

    /// <summary>Uses an already-parsed structure document (same layout as the fixture).</summary>
    public V0Schema(JsonObject structure)
    {
        Materialize(structure);
        _document = structure;
        _validator = new JsonSchemaSubset(structure);
        _templates = (structure["paths"] as JsonObject ?? [])
            .Select(p => new PathTemplate(p.Key))
            .OrderByDescending(t => t.LiteralCount)
            .ToArray();
    }

    /// <summary>One loaded instance for the whole test run.</summary>
    public static V0Schema Shared => SharedInstance.Value;

    /// <summary>The templated paths the document describes, e.g. <c>/v0/workflows/{workflow_id}</c>.</summary>
    public IEnumerable<string> PathTemplates => _templates.Select(t => t.Template);

    /// <summary>The templated path a concrete request path maps to, if any method is documented for it.</summary>
    public string? MatchTemplate(string path)
    {
        var segments = PathTemplate.SplitRequestPath(path);
        return _templates.FirstOrDefault(t => t.Matches(segments))?.Template;
    }

    /// <summary>True when the document has an operation for this method on this concrete path.</summary>
    public bool IsDocumentedPath(string method, string path) => FindOperation(method, path, out _) is not null;

    /// <summary>Status codes documented for an operation (empty when the operation is undocumented).</summary>
    public IReadOnlyList<int> DocumentedStatuses(string method, string path)
    {
        var responses = FindOperation(method, path, out _)?["responses"] as JsonObject;
        return responses is null
            ? []
            : responses.Select(r => int.TryParse(r.Key, out var code) ? code : -1).Where(c => c > 0).Order().ToArray();
    }

    /// <summary>Checks a response body for the given request; an empty list means valid.</summary>
    public IReadOnlyList<string> ValidateResponse(string method, string path, int status, JsonNode? body)
    {
        var operation = FindOperation(method, path, out var template);
        if (operation is null)
        {
            return [$"{method.ToUpperInvariant()} {path} is not a documented operation"];
        }

        var responses = operation["responses"] as JsonObject ?? [];
        var code = status.ToString(CultureInfo.InvariantCulture);
        var ranged = $"{code[0]}XX";
        if (!responses.TryGetPropertyValue(code, out var schema)
            && !responses.TryGetPropertyValue(ranged, out schema)
            && !responses.TryGetPropertyValue("default", out schema))
        {
            var documented = string.Join(", ", responses.Select(r => r.Key));
            return [$"status {status} is not documented for {method.ToUpperInvariant()} {template} (documented: {documented})"];
        }

        return _validator.Validate(schema, body);
    }

    /// <summary>Throws <see cref="SchemaViolationException"/> listing every violation, if any.</summary>
    public void AssertValidResponse(string method, string path, int status, JsonNode? body)
    {
        var violations = ValidateResponse(method, path, status, body);
        if (violations.Count > 0)
        {
            throw new SchemaViolationException($"response {status} to {method.ToUpperInvariant()} {path}", violations);
        }
    }

    /// <summary>Checks a request body against the documented request schema (none documented: anything is valid).</summary>
    public IReadOnlyList<string> ValidateRequest(string method, string path, JsonNode? body)
    {
        var operation = FindOperation(method, path, out _);
        if (operation is null)
        {
            return [$"{method.ToUpperInvariant()} {path} is not a documented operation"];
        }

        return operation.TryGetPropertyValue("requestBody", out var schema) ? _validator.Validate(schema, body) : [];
    }

    /// <summary>Checks a node against any schema in the document, e.g. <c>#/components/schemas/TaskforceObject</c>.</summary>
    public IReadOnlyList<string> ValidateAgainst(string schemaPointer, JsonNode? node)
    {
        if (!_validator.TryResolve(schemaPointer, out var schema))
        {
            throw new ArgumentException($"no schema at '{schemaPointer}'", nameof(schemaPointer));
        }

        return _validator.Validate(schema, node);
    }

    /// <summary>Throws <see cref="SchemaViolationException"/> when <paramref name="node"/> does not fit the schema.</summary>
    public void AssertValidAgainst(string schemaPointer, JsonNode? node)
    {
        var violations = ValidateAgainst(schemaPointer, node);
        if (violations.Count > 0)
        {
            throw new SchemaViolationException(schemaPointer, violations);
        }
    }

    private JsonObject? FindOperation(string method, string path, out string? template)
    {
        template = MatchTemplateWithMethod(method, path);
        return template is null ? null : _document["paths"]?[template]?[method.ToLowerInvariant()] as JsonObject;
    }

    // A concrete path may fit several templates; take the most specific one that has this method.
    private string? MatchTemplateWithMethod(string method, string path)
    {
        var segments = PathTemplate.SplitRequestPath(path);
        var key = method.ToLowerInvariant();
        return _templates
            .Where(t => t.Matches(segments) && _document["paths"]?[t.Template]?[key] is JsonObject)
            .Select(t => t.Template)
            .FirstOrDefault();
    }

    // JsonObject builds its dictionary lazily on first access; touch everything once so that
    // later concurrent reads from parallel tests never race on that initialisation.
    private static void Materialize(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (_, child) in obj)
                {
                    Materialize(child);
                }

                break;
            case JsonArray arr:
                foreach (var child in arr)
                {
                    Materialize(child);
                }

                break;
        }
    }

    private static JsonObject LoadEmbedded()
    {
        using var stream = typeof(V0Schema).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is missing");
        return JsonNode.Parse(stream) as JsonObject
            ?? throw new InvalidOperationException($"embedded resource {ResourceName} is not a JSON object");
    }
}
