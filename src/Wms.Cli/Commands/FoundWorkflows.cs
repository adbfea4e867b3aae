using System.Text.Json;
using Wms.Cli.Connection;
using Wms.Cli.Output;

namespace Wms.Cli.Commands;

/// <summary>What a paged find gave, up to a limit, and whether more would have followed.</summary>
public sealed record FoundWorkflows(IReadOnlyList<JsonElement> Workflows, bool More)
{
    /// <summary>
    /// Reads pages until they end or <paramref name="limit"/> objects are in. The first page is read quietly; when
    /// more follow, a person watching sees the count grow.
    /// </summary>
    public static async Task<FoundWorkflows> CollectAsync(
        IAsyncEnumerable<FindPage> pages, int? limit, Terminal terminal, CancellationToken cancel)
    {
        var found = new List<JsonElement>();
        var more = false;
        var read = 0;
        await using var next = pages.GetAsyncEnumerator(cancel);
        bool Take()
        {
            read++;
            var page = next.Current;
            var room = limit is { } l ? l - found.Count : int.MaxValue;
            found.AddRange(page.Items.Take(room));
            more = page.Items.Count > room || (page.NextAfter is not null && found.Count == limit);
            return page.NextAfter is not null && found.Count != limit;
        }
        if (!await next.MoveNextAsync() || !Take())
        {
            return new FoundWorkflows(found, more);
        }
        await terminal.ProgressAsync("Reading more pages", async report =>
        {
            while (await next.MoveNextAsync() && Take())
            {
                report($"{found.Count} found after {read} pages");
            }
        });
        return new FoundWorkflows(found, more);
    }
}
