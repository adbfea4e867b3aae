using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Cli.Validation;
using Wms.Query;

namespace Wms.Cli.Commands;

/// <summary>
/// The find filter <c>wms ls</c> sends: the user's own (checked here with the service's filter parser) and the
/// state asked for, joined with <c>$and</c>.
/// </summary>
public static class WorkflowFilter
{
    public static readonly IReadOnlyList<string> States = ["active", "aborted", "finished"];

    public static JsonObject Build(string? filter, string? state)
    {
        List<JsonObject> parts = [];
        if (filter is not null)
        {
            parts.Add(Parse(filter));
        }
        if (state is not null)
        {
            parts.Add(new JsonObject
            {
                // Active workflows have no deactivation: null or missing, which a null filter matches alike.
                ["deactivated"] = state == "active" ? null : state.ToUpperInvariant(),
            });
        }
        return parts.Count switch
        {
            0 => [],
            1 => parts[0],
            _ => new JsonObject { ["$and"] = new JsonArray([.. parts]) },
        };
    }

    private static JsonObject Parse(string filter)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(filter);
        }
        catch (JsonException e)
        {
            throw CommandFailedException.Usage($"--filter is not valid JSON: {e.Message}");
        }
        if (node is not JsonObject query)
        {
            throw CommandFailedException.Usage("--filter must be a JSON object, e.g. '{\"priority\": 50}'");
        }
        try
        {
            LocalValidation.Filter(query);
        }
        catch (FilterException e)
        {
            throw CommandFailedException.Usage($"--filter: {e.Message}");
        }
        return query;
    }
}
