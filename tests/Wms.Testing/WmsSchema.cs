using System.Globalization;
using System.Text.Json.Nodes;

namespace Wms.Testing;

/// <summary>
/// The structure of one generation of the WMS OpenAPI document (an embedded fixture made by
/// <c>Fixtures/make-structure.py</c>), with checks of request and response bodies against it.
/// Immutable and safe to share between tests. <see cref="V0Schema"/> and <see cref="V1Schema"/> are the two generations.
/// </summary>
public abstract class WmsSchema
{
    private readonly JsonObject _document;
    private readonly JsonSchemaSubset _validator;
    private readonly PathTemplate[] _templates;

    /// <summary>Uses an already-parsed structure document (the layout the fixture script writes).</summary>
    protected WmsSchema(JsonObject structure)
    {
        ArgumentNullException.ThrowIfNull(structure);
        Materialize(structure);
        _document = structure;
        _validator = new JsonSchemaSubset(structure);
        _templates = (structure["paths"] as JsonObject ?? [])
            .Select(p => new PathTemplate(p.Key))
            .OrderByDescending(t => t.LiteralCount)
            .ToArray();
    }

    /// <summary>The templated paths the document describes, e.g. <c>/v0/workflows/{workflow_id}</c>.</summary>
    public IEnumerable<string> PathTemplates => _templates.Select(t => t.Template);

    /// <summary>
    /// Every documented operation as <c>METHOD /template</c>, e.g. <c>GET /v1/taskforces/{taskforce_uuid}</c>,
    /// in ordinal order: the form to compare with a served route table.
    /// </summary>
    public IReadOnlyList<string> Operations =>
        (_document["paths"] as JsonObject ?? [])
            .SelectMany(p => (p.Value as JsonObject ?? [])
                .Where(m => m.Key != "parameters")
                .Select(m => $"{m.Key.ToUpperInvariant()} {p.Key}"))
            .Order(StringComparer.Ordinal)
            .ToArray();

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

    /// <summary>Reads a structure fixture embedded in this assembly.</summary>
    protected static JsonObject LoadEmbedded(string resourceName)
    {
        using var stream = typeof(WmsSchema).Assembly.GetManifestResourceStream(resourceName)
            ?? throw new InvalidOperationException($"embedded resource {resourceName} is missing");
        return JsonNode.Parse(stream) as JsonObject
            ?? throw new InvalidOperationException($"embedded resource {resourceName} is not a JSON object");
    }

    /// <summary>The document's templated paths in ordinal order.</summary>
    protected IReadOnlyList<string> SortedPaths() => PathTemplates.Order(StringComparer.Ordinal).ToArray();
}
