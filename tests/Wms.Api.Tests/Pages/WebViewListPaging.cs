using System.Text.Json;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Lifecycle;
using Xunit.Abstractions;
using static Wms.Api.Tests.Pages.WebViewChecks;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// The list's paging and filters, run on each storage: its slices of time and the find's filters ($and, $or, $lt on
/// ids, $gte on times, null for active) must be read the same by the memory index and by PostgreSQL.
/// </summary>
public static class WebViewListPaging
{
    /// <summary>
    /// Seven new workflows (one aborted) among whatever the service holds: the list, three a page, shows every
    /// workflow once in the service's order newest first; the id box asks the service for the ids that start with
    /// its text, over all pages; the state box asks the service for aborted ones alone.
    /// </summary>
    public static async Task NewestFirstAPageAtATimeAsync(
        LifecycleHost host, HeadlessChromium browser, ITestOutputHelper output, string screenshot)
    {
        var service = host.Server.BaseAddress;
        var made = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            made.Add(Flow.WorkflowId(await host.User.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha))));
        }
        Assert.Equal(200, (await host.User.AbortAsync(made[2])).Status);
        var all = await AllWorkflowsNewestFirstAsync(host);
        var before = browser.Mark();

        await browser.NavigateAsync(new Uri(service, "ui?page_size=3"));
        var pages = new List<List<string>>();
        for (var page = 1; ; page++)
        {
            Assert.True(await browser.WaitForAsync(
                $"document.getElementById('page-label').textContent === 'Page {page}' && " +
                "document.getElementById('list-status').textContent.includes('newest first')"),
                $"page {page} did not load; the page shows:\n{await browser.TextAsync()}");
            pages.Add((await RowsAsync(browser)).Select(r => r.Id).ToList());
            if ((await browser.EvaluateAsync("document.getElementById('older').disabled")).GetBoolean())
            {
                break;
            }
            await browser.EvaluateAsync("document.getElementById('older').click()");
        }
        await SaveScreenshotAsync(browser, output, screenshot);

        // Every workflow once, in the service's own order newest first; no page longer than asked.
        Assert.All(pages, p => Assert.InRange(p.Count, 1, 3));
        Assert.Equal(all, pages.SelectMany(p => p).ToList());
        Assert.Equal(made.AsEnumerable().Reverse(), all.Where(made.Contains));

        // Back to the newest, then the id box finds, from the first page, one of ours that was on the last: typed
        // without its "WF-" and its last two digits, it is the start of its id alone.
        await browser.EvaluateAsync("document.getElementById('newest').click()");
        Assert.True(await browser.WaitForAsync("document.getElementById('page-label').textContent === 'Page 1'"));
        var wanted = made[0];
        Assert.DoesNotContain(wanted, pages[0]);
        var typed = wanted[3..^2];
        var expected = all.Where(id => id.StartsWith("WF-" + typed, StringComparison.Ordinal)).ToList();
        Assert.Contains(wanted, expected);
        await browser.EvaluateAsync("document.getElementById('filter-text').focus()");
        await browser.TypeAsync(typed);
        Assert.True(await browser.WaitForAsync(
            $"JSON.stringify([...document.querySelectorAll('#workflows tbody tr')].map(r => r.dataset.workflowId)) === {Js(JsonSerializer.Serialize(expected))}"
            + " && document.getElementById('list-status').textContent.includes('whose id starts with')"),
            $"the id box did not find {wanted}; the page shows:\n{await browser.TextAsync()}");
        Assert.Equal("Page 1", (await browser.EvaluateAsync("document.getElementById('page-label').textContent")).GetString());
        Assert.Contains($"q={typed}", (await browser.EvaluateAsync("location.search")).GetString(), StringComparison.Ordinal);
        Assert.Contains(browser.SentRequests.Skip(before.Requests), r => r.Url.AbsolutePath == "/v1/query/workflows");

        // The state box asks the service: only aborted workflows, ours among them.
        await browser.EvaluateAsync("document.getElementById('filter-text').value = ''");
        await browser.EvaluateAsync(
            "(s => { s.value = 'aborted'; s.dispatchEvent(new Event('change')); })(document.getElementById('filter-state'))");
        Assert.True(await browser.WaitForAsync($"document.querySelector('tr[data-workflow-id={Js(made[2])}]') !== null"),
            $"the aborted workflow is not listed; the page shows:\n{await browser.TextAsync()}");
        Assert.All(await RowsAsync(browser), r => Assert.Equal("aborted", r.State));
        Assert.Contains("state=aborted", (await browser.EvaluateAsync("location.search")).GetString(), StringComparison.Ordinal);
        AssertOnlyTheServiceWasAsked(browser, service, before);
    }

    /// <summary>One row of the list as the page shows it.</summary>
    public sealed record Row(string Id, string State, string Counts, bool Visible, string Text);

    public static async Task<List<Row>> RowsAsync(HeadlessChromium browser)
    {
        var rows = await browser.EvaluateAsync("""
            [...document.querySelectorAll('#workflows tbody tr')].map(r => ({
              id: r.dataset.workflowId, state: r.dataset.state, counts: r.dataset.phaseCounts, visible: !r.hidden,
              text: r.innerText }))
            """);
        return rows.EnumerateArray().Select(r => new Row(
            r.GetProperty("id").GetString()!, r.GetProperty("state").GetString()!, r.GetProperty("counts").GetString()!,
            r.GetProperty("visible").GetBoolean(), r.GetProperty("text").GetString()!)).ToList();
    }

    /// <summary>Every workflow the service holds, newest first (ties by id, highest first), through /v1's pages.</summary>
    private static async Task<List<string>> AllWorkflowsNewestFirstAsync(LifecycleHost host)
    {
        var found = new List<(double Timestamp, string Id)>();
        JsonNode? after = null;
        do
        {
            var page = await host.User.PostAsync("v1/query/workflows", new JsonObject
            {
                ["query"] = new JsonObject(),
                ["projection"] = new JsonArray("workflow_id", "timestamp"),
                ["after"] = after,
            });
            Assert.Equal(200, page.Status);
            found.AddRange(page.Object["workflows"]!.AsArray()
                .Select(w => (Flow.Number(w!["timestamp"]), w["workflow_id"]!.GetValue<string>())));
            after = page.Object["next_after"]?.DeepClone();
        }
        while (after is not null);
        return found.OrderByDescending(w => w.Timestamp).ThenByDescending(w => w.Id, StringComparer.Ordinal)
            .Select(w => w.Id).ToList();
    }
}
