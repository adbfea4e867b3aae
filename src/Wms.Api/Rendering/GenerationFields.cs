using System.Text.Json.Nodes;
using Wms.Domain.Index;
using Wms.Domain.Model;

namespace Wms.Api.Rendering;

/// <summary>
/// Turns the field names of a query or projection, as one generation shows its objects (<see cref="GenerationView"/>),
/// into the names the index keeps. A member the generation does not show, or shows as null whatever is stored, is
/// named by a field no stored object has: a filter then sees it missing and a projection leaves it out, as the
/// generation's own objects would.
/// </summary>
public static class GenerationFields
{
    /// <summary>A top-level name no stored object has.</summary>
    public const string Absent = "_wms_not_shown";

    private static readonly string[] V0TaskforceHidden = ["priority", "worker_config.condor_requirements", "pilot_config.image_source"];
    private static readonly string[] V0TaskDirectiveHidden = ["task_env", "init_image", "init_args", "init_env"];
    private static readonly string[] V1WorkflowHidden = ["mq_activated_ts", "_mq_activation_retry_at_ts"];
    private static readonly string[] V1TaskforceHidden =
        ["collector", "phase_change_log.description", .. GenerationView.InjectedEnvironment.Select(n => "pilot_config.environment." + n)];

    /// <summary>The stored name of a dotted field name.</summary>
    public static string ToStored(ApiGeneration generation, ObjectKind kind, string field)
    {
        var hidden = (generation, kind) switch
        {
            (ApiGeneration.V0, ObjectKind.Taskforce) => V0TaskforceHidden,
            (ApiGeneration.V0, ObjectKind.TaskDirective) => V0TaskDirectiveHidden,
            (ApiGeneration.V1, ObjectKind.Workflow) => V1WorkflowHidden,
            (ApiGeneration.V1, ObjectKind.Taskforce) => V1TaskforceHidden,
            _ => [],
        };
        var named = WithoutArrayIndexes(field);
        foreach (var h in hidden)
        {
            if (named == h || named.StartsWith(h + ".", StringComparison.Ordinal))
            {
                return Absent;
            }
        }
        if (generation == ApiGeneration.V1 && kind == ObjectKind.Taskforce && IsLogContext(field))
        {
            return field[..field.LastIndexOf(".context", StringComparison.Ordinal)] + ".description" +
                field[(field.LastIndexOf(".context", StringComparison.Ordinal) + ".context".Length)..];
        }
        return field;
    }

    /// <summary>A filter with every field name stored; operators and values as they are.</summary>
    public static JsonObject ToStored(ApiGeneration generation, ObjectKind kind, JsonObject query)
    {
        var stored = new JsonObject();
        foreach (var (key, value) in query)
        {
            var copy = value?.DeepClone();
            if (key is "$and" or "$or" or "$nor" && copy is JsonArray clauses)
            {
                for (var i = 0; i < clauses.Count; i++)
                {
                    if (clauses[i] is JsonObject clause)
                    {
                        clauses[i] = ToStored(generation, kind, clause);
                    }
                }
                stored[key] = clauses;
            }
            else if (key.StartsWith('$'))
            {
                stored[key] = copy;
            }
            else
            {
                // Two shown names may meet in one stored name (both hidden ones): all must hold, as $and says.
                var name = ToStored(generation, kind, key);
                if (stored.ContainsKey(name))
                {
                    return new JsonObject { ["$and"] = new JsonArray(Split(generation, kind, query)) };
                }
                stored[name] = copy;
            }
        }
        return stored;
    }

    /// <summary>A projection's field names, stored; a list that is not one of strings is left for the parser to refuse.</summary>
    public static JsonNode? ToStored(ApiGeneration generation, ObjectKind kind, JsonNode? projection)
    {
        if (projection is not JsonArray fields ||
            fields.Any(f => f is not JsonValue v || v.GetValueKind() != System.Text.Json.JsonValueKind.String))
        {
            return projection?.DeepClone();
        }
        var stored = fields.Select(f => ToStored(generation, kind, f!.GetValue<string>())).Distinct(StringComparer.Ordinal);
        return new JsonArray([.. stored.Select(f => (JsonNode)f)]);
    }

    private static JsonNode[] Split(ApiGeneration generation, ObjectKind kind, JsonObject query) =>
        [.. query.Select(p => (JsonNode)ToStored(generation, kind, new JsonObject { [p.Key] = p.Value?.DeepClone() }))];

    /// <summary><c>phase_change_log.context</c>, or with an element index between.</summary>
    private static bool IsLogContext(string field) => WithoutArrayIndexes(field) == "phase_change_log.context";

    private static string WithoutArrayIndexes(string field) =>
        string.Join('.', field.Split('.').Where(s => s.Length == 0 || !s.All(char.IsAsciiDigit)));
}
