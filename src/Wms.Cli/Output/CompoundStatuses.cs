using System.Text.Json;

namespace Wms.Cli.Output;

/// <summary>
/// A taskforce's worker statuses in one short text: each HTCondor state with its pilot states and counts, e.g.
/// <c>RUNNING: Tasking 8, null 2; IDLE: null 4</c>.
/// </summary>
public static class CompoundStatuses
{
    public static string Summary(JsonElement taskforce)
    {
        var statuses = taskforce.Member("compound_statuses");
        if (statuses.ValueKind != JsonValueKind.Object)
        {
            return "";
        }
        return string.Join("; ", statuses.EnumerateObject().Select(condor =>
            condor.Value.ValueKind == JsonValueKind.Object
                ? $"{condor.Name}: " + string.Join(", ", condor.Value.EnumerateObject().Select(p => $"{p.Name} {p.Value.GetRawText()}"))
                : $"{condor.Name}: {condor.Value.GetRawText()}"));
    }

    /// <summary>The taskforce's top task errors as "count × error" lines, most frequent first.</summary>
    public static IEnumerable<string> TopErrors(JsonElement taskforce)
    {
        var errors = taskforce.Member("top_task_errors");
        if (errors.ValueKind != JsonValueKind.Object)
        {
            return [];
        }
        return errors.EnumerateObject()
            .Select(e => (Error: e.Name, Count: e.Value.TryGetInt64(out var n) ? n : 0))
            .OrderByDescending(e => e.Count)
            .Select(e => $"{e.Count} × {e.Error}");
    }
}
