using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Wms.Testing;

/// <summary>
/// Validates JSON against the small JSON-Schema subset used by the WMS OpenAPI documents:
/// type, properties, required, additionalProperties, items, enum, pattern, anyOf, $ref,
/// minItems, uniqueItems, minProperties. Keywords are applied only to the JSON kind they
/// are meant for, which tolerates the source document's quirks (e.g. "properties" declared
/// on an array, "items" declared on an object).
/// </summary>
internal sealed class JsonSchemaSubset
{
    private const int MaxDepth = 64; // guards against $ref cycles
    private static readonly TimeSpan RegexTimeout = TimeSpan.FromSeconds(1);

    private readonly JsonNode _root;
    private readonly ConcurrentDictionary<string, Regex> _regexes = new(StringComparer.Ordinal);

    public JsonSchemaSubset(JsonNode root)
    {
        _root = root;
    }

    public bool TryResolve(string pointer, out JsonNode? schema) => JsonPointer.TryResolve(_root, pointer, out schema);

    public List<string> Validate(JsonNode? schema, JsonNode? instance)
    {
        var errors = new List<string>();
        Check(schema, instance, "$", errors, 0);
        return errors;
    }

    private void Check(JsonNode? schema, JsonNode? instance, string at, List<string> errors, int depth)
    {
        if (depth > MaxDepth)
        {
            errors.Add($"{at}: schema nesting deeper than {MaxDepth} (cyclic $ref?)");
            return;
        }

        switch (schema)
        {
            case null:
                return; // no schema: anything goes
            case JsonValue boolean when boolean.GetValueKind() is JsonValueKind.True:
                return;
            case JsonValue boolean when boolean.GetValueKind() is JsonValueKind.False:
                errors.Add($"{at}: no value is allowed here");
                return;
            case not JsonObject:
                errors.Add($"{at}: schema is neither an object nor a boolean");
                return;
        }

        var s = (JsonObject)schema;

        if (s["$ref"] is JsonValue refValue && refValue.GetValueKind() is JsonValueKind.String)
        {
            var pointer = refValue.GetValue<string>();
            if (TryResolve(pointer, out var target))
            {
                Check(target, instance, at, errors, depth + 1);
            }
            else
            {
                errors.Add($"{at}: unresolvable $ref '{pointer}'");
            }
        }

        var kind = KindOf(instance);

        if (s.TryGetPropertyValue("type", out var type) && type is not null && !TypeMatches(type, instance, kind))
        {
            errors.Add($"{at}: expected type {type.ToJsonString()} but found {Describe(instance, kind)}");
            return; // the remaining keywords would only add noise
        }

        if (s["enum"] is JsonArray options && !options.Any(option => JsonNode.DeepEquals(option, instance)))
        {
            errors.Add($"{at}: {Describe(instance, kind)} is not one of {options.ToJsonString()}");
        }

        if (s["anyOf"] is JsonArray alternatives)
        {
            CheckAnyOf(alternatives, instance, at, errors, depth);
        }

        switch (instance)
        {
            case JsonObject obj:
                CheckObject(s, obj, at, errors, depth);
                break;
            case JsonArray arr:
                CheckArray(s, arr, at, errors, depth);
                break;
            case JsonValue value when kind is JsonValueKind.String:
                CheckString(s, value.GetValue<string>(), at, errors);
                break;
        }
    }

    private void CheckAnyOf(JsonArray alternatives, JsonNode? instance, string at, List<string> errors, int depth)
    {
        var reasons = new List<string>();
        foreach (var alternative in alternatives)
        {
            var branchErrors = new List<string>();
            Check(alternative, instance, at, branchErrors, depth + 1);
            if (branchErrors.Count == 0)
            {
                return;
            }

            reasons.Add(branchErrors[0] + (branchErrors.Count > 1 ? $" (+{branchErrors.Count - 1} more)" : ""));
        }

        errors.Add($"{at}: matches none of the {alternatives.Count} anyOf alternatives [{string.Join(" | ", reasons)}]");
    }

    private void CheckObject(JsonObject s, JsonObject obj, string at, List<string> errors, int depth)
    {
        if (s["required"] is JsonArray required)
        {
            foreach (var name in required)
            {
                if (name is JsonValue v && v.GetValueKind() is JsonValueKind.String && !obj.ContainsKey(v.GetValue<string>()))
                {
                    errors.Add($"{at}: missing required property '{v.GetValue<string>()}'");
                }
            }
        }

        if (s["minProperties"] is JsonValue minProps && obj.Count < minProps.GetValue<int>())
        {
            errors.Add($"{at}: has {obj.Count} properties, fewer than the minimum {minProps.GetValue<int>()}");
        }

        var properties = s["properties"] as JsonObject;
        var hasAdditional = s.TryGetPropertyValue("additionalProperties", out var additional);
        foreach (var (name, child) in obj)
        {
            var childAt = Child(at, name);
            if (properties is not null && properties.TryGetPropertyValue(name, out var propertySchema))
            {
                Check(propertySchema, child, childAt, errors, depth + 1);
            }
            else if (hasAdditional)
            {
                if (additional is JsonValue flag && flag.GetValueKind() is JsonValueKind.False)
                {
                    errors.Add($"{childAt}: property '{name}' is not allowed here");
                }
                else
                {
                    Check(additional, child, childAt, errors, depth + 1);
                }
            }
        }
    }

    private void CheckArray(JsonObject s, JsonArray arr, string at, List<string> errors, int depth)
    {
        if (s["minItems"] is JsonValue minItems && arr.Count < minItems.GetValue<int>())
        {
            errors.Add($"{at}: has {arr.Count} items, fewer than the minimum {minItems.GetValue<int>()}");
        }

        if (s["uniqueItems"] is JsonValue unique && unique.GetValueKind() is JsonValueKind.True)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                for (var j = i + 1; j < arr.Count; j++)
                {
                    if (JsonNode.DeepEquals(arr[i], arr[j]))
                    {
                        errors.Add($"{at}: items [{i}] and [{j}] are equal but items must be unique");
                    }
                }
            }
        }

        // Only the single-schema form of "items" occurs in the WMS documents.
        if (s.TryGetPropertyValue("items", out var items) && items is not JsonArray)
        {
            for (var i = 0; i < arr.Count; i++)
            {
                Check(items, arr[i], $"{at}[{i}]", errors, depth + 1);
            }
        }
    }

    private void CheckString(JsonObject s, string value, string at, List<string> errors)
    {
        if (s["pattern"] is JsonValue p && p.GetValueKind() is JsonValueKind.String)
        {
            var pattern = p.GetValue<string>();
            // JSON Schema patterns are unanchored searches, exactly as written.
            if (!RegexFor(pattern).IsMatch(value))
            {
                errors.Add($"{at}: \"{value}\" does not match the pattern {pattern}");
            }
        }
    }

    private Regex RegexFor(string pattern) => _regexes.GetOrAdd(pattern, static p =>
    {
        try
        {
            // ECMAScript mode is the closest .NET dialect to JSON Schema's regex flavour.
            return new Regex(p, RegexOptions.ECMAScript | RegexOptions.CultureInvariant, RegexTimeout);
        }
        catch (ArgumentException)
        {
            // Some constructs (e.g. \p{..}) are refused in ECMAScript mode; fall back to the default dialect.
            return new Regex(p, RegexOptions.CultureInvariant, RegexTimeout);
        }
    });

    private static bool TypeMatches(JsonNode type, JsonNode? instance, JsonValueKind kind) => type switch
    {
        JsonValue single when single.GetValueKind() is JsonValueKind.String => IsOfType(single.GetValue<string>(), instance, kind),
        JsonArray many => many.Any(t => t is JsonValue v && v.GetValueKind() is JsonValueKind.String && IsOfType(v.GetValue<string>(), instance, kind)),
        _ => false,
    };

    private static bool IsOfType(string type, JsonNode? instance, JsonValueKind kind) => type switch
    {
        "null" => kind is JsonValueKind.Null,
        "boolean" => kind is JsonValueKind.True or JsonValueKind.False,
        "object" => kind is JsonValueKind.Object,
        "array" => kind is JsonValueKind.Array,
        "string" => kind is JsonValueKind.String,
        "number" => kind is JsonValueKind.Number,
        "integer" => kind is JsonValueKind.Number && IsWholeNumber((JsonValue)instance!),
        _ => false,
    };

    /// <summary>An integer is any JSON number without a fractional part (so 3.0 counts).</summary>
    internal static bool IsWholeNumber(JsonValue value)
    {
        var raw = value.ToJsonString();
        if (raw.IndexOfAny(['.', 'e', 'E']) < 0)
        {
            return true;
        }

        if (decimal.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
        {
            return d == decimal.Truncate(d);
        }

        return double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var x)
            && double.IsFinite(x) && Math.Floor(x) == x;
    }

    private static JsonValueKind KindOf(JsonNode? node) => node is null ? JsonValueKind.Null : node.GetValueKind();

    private static string Describe(JsonNode? instance, JsonValueKind kind)
    {
        var text = instance is null ? "null" : instance.ToJsonString();
        if (text.Length > 80)
        {
            text = text[..77] + "...";
        }

        var name = kind is JsonValueKind.True or JsonValueKind.False ? "boolean" : kind.ToString().ToLowerInvariant();
        return $"{name} {text}";
    }

    private static string Child(string at, string name) =>
        name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_')
            ? $"{at}.{name}"
            : $"{at}[{JsonSerializer.Serialize(name)}]";
}
