using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Cli.Connection;

/// <summary>
/// Runs a find page after page: on <c>/v1</c> each page names where the next one starts (<c>next_after</c>, sent
/// back as <c>after</c>) until it names none; <c>/v0</c> answers everything at once. A find of workflows may ask
/// for the caller's own alone (<c>"mine": true</c>).
/// </summary>
public static class Finds
{
    public static async IAsyncEnumerable<FindPage> PagesAsync(
        WmsClient client, Routes routes, FindKind kind, JsonObject query, IReadOnlyList<string>? projection, bool mine,
        [EnumeratorCancellation] CancellationToken cancel)
    {
        string? after = null;
        do
        {
            var body = new JsonObject { ["query"] = query.DeepClone() };
            if (mine)
            {
                body["mine"] = true;
            }
            if (projection is not null)
            {
                body["projection"] = new JsonArray([.. projection.Select(p => JsonValue.Create(p))]);
            }
            if (routes.PagedFinds && after is not null)
            {
                body["after"] = after;
            }
            var answer = await client.PostAsync(routes.Find(kind), body, idempotencyKey: null, cancel);
            using var document = answer.Document();
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty(kind.Member, out var items)
                || items.ValueKind != JsonValueKind.Array)
            {
                throw new CommandFailedException(ExitCodes.Failure, $"the service's find answer holds no '{kind.Member}' list");
            }
            after = routes.PagedFinds
                && root.TryGetProperty("next_after", out var next)
                && next.ValueKind == JsonValueKind.String
                    ? next.GetString()
                    : null;
            yield return new FindPage([.. items.EnumerateArray().Select(i => i.Clone())], after);
        }
        while (after is not null);
    }

    /// <summary>Every object the find matches, page after page.</summary>
    public static async Task<List<JsonElement>> AllAsync(
        WmsClient client, Routes routes, FindKind kind, JsonObject query, IReadOnlyList<string>? projection,
        CancellationToken cancel)
    {
        var all = new List<JsonElement>();
        await foreach (var page in PagesAsync(client, routes, kind, query, projection, mine: false, cancel))
        {
            all.AddRange(page.Items);
        }
        return all;
    }
}
