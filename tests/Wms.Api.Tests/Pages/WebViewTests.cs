using System.Globalization;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using Xunit.Abstractions;
using static Wms.Api.Tests.Pages.WebViewChecks;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// The web view in a real browser against a running service, with workflows made through the API and driven through
/// their phases by the simulated TMS: the list shows them with their states and phase counts, newest first, a page at
/// a time; a workflow's page shows its taskforces with their timelines, status plots, errors and explanations; and it
/// reads well at phone width, in dark mode, and in the browser's own time zone.
/// </summary>
public sealed class WebViewTests(WebViewFixture fixture, ITestOutputHelper output) : IClassFixture<WebViewFixture>
{
    private HeadlessChromium Browser => fixture.Browser;

    private LifecycleHost Host => fixture.Host;

    private Uri Service => Host.Server.BaseAddress;

    [Fact]
    public async Task TheListShowsEachWorkflowWithItsStateAndItsTaskforcesByPhase()
    {
        // Active with one taskforce submitted and one waiting; finished; aborted.
        var active = await Host.CreateStartableAsync(Flow.SimpleWorkflow(Flow.Alpha, Flow.Beta));
        await Host.SubmitAsync(TaskforceAt(active, WmsServer.AlphaSchedd));
        var finished = await Host.CreateStartableAsync(Flow.SimpleWorkflow(Flow.Alpha));
        Assert.Equal(200, (await Host.User.FinishedAsync(Flow.WorkflowId(finished))).Status);
        var aborted = await Host.CreateStartableAsync(Flow.SimpleWorkflow(Flow.Beta));
        Assert.Equal(200, (await Host.User.AbortAsync(Flow.WorkflowId(aborted))).Status);
        var expected = new Dictionary<string, (string State, string Counts)>
        {
            [Flow.WorkflowId(active)] = ("active", await PhaseCountsAsync(active)),
            [Flow.WorkflowId(finished)] = ("finished", await PhaseCountsAsync(finished)),
            [Flow.WorkflowId(aborted)] = ("aborted", await PhaseCountsAsync(aborted)),
        };
        Assert.Equal("pending-starter=1,condor-submit=1", expected[Flow.WorkflowId(active)].Counts);
        Assert.Equal("pending-stopper=1", expected[Flow.WorkflowId(finished)].Counts);
        var before = Browser.Mark();

        await Browser.NavigateAsync(new Uri(Service, "ui"));
        var shown = await Browser.WaitForAsync(
            $"{Js(string.Join(",", expected.Keys))}.split(',').every(id => document.querySelector(`tr[data-workflow-id=\"${{id}}\"]`))");
        await SaveScreenshotAsync(Browser, output, "ui-list");
        Assert.True(shown, $"the list did not show the workflows; it shows:\n{await Browser.TextAsync()}");

        var rows = await WebViewListPaging.RowsAsync(Browser);
        foreach (var (id, (state, counts)) in expected)
        {
            var row = rows.Single(r => r.Id == id);
            Assert.Equal(state, row.State);
            Assert.Equal(counts, row.Counts);
            Assert.Contains(state, row.Text, StringComparison.Ordinal);
        }
        // With authentication off, nothing is asked and no token is sent.
        Assert.True((await Browser.EvaluateAsync("document.getElementById('token-prompt').hidden")).GetBoolean());
        Assert.DoesNotContain(Browser.SentRequests.Skip(before.Requests), r => r.Headers.ContainsKey("Authorization"));
        AssertOnlyTheServiceWasAsked(Browser, Service, before);
    }

    [Fact]
    public Task TheListGoesNewestFirstAPageAtATimeAndItsFiltersNarrowIt() =>
        WebViewListPaging.NewestFirstAPageAtATimeAsync(Host, Browser, output, "ui-list-last-page");

    [Fact]
    public async Task AWorkflowPageShowsEachTaskforcesTimelineStatusPlotErrorsAndExplanation()
    {
        var (workflowId, alpha, beta) = await RunningWorkflowAsync();
        var before = Browser.Mark();

        await Browser.NavigateAsync(new Uri(Service, $"ui/workflows/{workflowId}"));
        Assert.True(await Browser.WaitForAsync(
            $"document.querySelectorAll('article.taskforce').length === 2 && document.querySelector('#tf-{alpha} .plot svg')"),
            $"the workflow page did not show its taskforces; it shows:\n{await Browser.TextAsync()}");
        await SaveScreenshotAsync(Browser, output, "ui-workflow");

        var text = await Browser.TextAsync();
        Assert.Contains(workflowId, text, StringComparison.Ordinal);
        Assert.Equal("active", (await Browser.EvaluateAsync("document.getElementById('workflow-state').textContent")).GetString());
        foreach (var uuid in new[] { alpha, beta })
        {
            var taskforce = await Host.User.TaskforceAsync(uuid);
            var log = Flow.LogOf(taskforce);
            var article = await Browser.EvaluateAsync($$"""
                (() => {
                  const a = document.getElementById('tf-{{uuid}}');
                  const t = a.querySelector('.timeline svg');
                  return { phase: a.dataset.phase, entries: Number(t.dataset.entries), segments: a.querySelectorAll('.seg').length,
                           failed: a.querySelectorAll('.attempt-failed').length, text: a.innerText };
                })()
                """);
            Assert.Equal(Flow.PhaseOf(taskforce), article.GetProperty("phase").GetString());
            Assert.Equal(log.Count, article.GetProperty("entries").GetInt32());
            Assert.Equal(log.Count(e => e["was_successful"]!.GetValue<bool>()), article.GetProperty("segments").GetInt32());
            Assert.Equal(log.Count(e => !e["was_successful"]!.GetValue<bool>()), article.GetProperty("failed").GetInt32());
            Assert.Contains(taskforce["schedd"]!.GetValue<string>(), article.GetProperty("text").GetString(), StringComparison.Ordinal);
        }
        // beta's submit failed once: the timeline marks it, and says who and why on focus.
        Assert.Equal(1, (await Browser.EvaluateAsync($"document.querySelectorAll('#tf-{beta} .attempt-failed').length")).GetInt32());
        await Browser.EvaluateAsync($"document.querySelector('#tf-{beta} .attempt-failed').focus()");
        var detail = (await Browser.EvaluateAsync($"document.querySelector('#tf-{beta} .timeline-detail').textContent")).GetString()!;
        output.WriteLine($"on focus: {detail}");
        Assert.Contains("Failed attempt", detail, StringComparison.Ordinal);
        Assert.Contains("by TMS", detail, StringComparison.Ordinal);
        Assert.Contains(SubmitError, detail, StringComparison.Ordinal);

        // The plot: a series per compound status ever reported, each with a point per history entry.
        var history = await HistoryAsync(alpha);
        var names = history.SelectMany(e => e!["compound_statuses"]!.AsObject()
            .SelectMany(c => c.Value!.AsObject().Select(p => (c.Key, p.Key)))).Distinct().Count();
        var series = await Browser.EvaluateAsync($$"""
            [...document.querySelectorAll('#tf-{{alpha}} .plot .series')].map(g => ({
              status: g.dataset.status, points: g.querySelectorAll('circle').length, declared: Number(g.dataset.points) }))
            """);
        Assert.Equal(names, series.GetArrayLength());
        Assert.All(series.EnumerateArray(), s =>
        {
            Assert.Equal(history.Count, s.GetProperty("points").GetInt32());
            Assert.Equal(history.Count, s.GetProperty("declared").GetInt32());
        });
        Assert.Equal(3, history.Count);
        var legend = (await Browser.EvaluateAsync($"document.querySelector('#tf-{alpha} .legend').innerText")).GetString()!;
        Assert.Contains("RUNNING: Tasking", legend, StringComparison.Ordinal);
        var axes = await Browser.EvaluateAsync($"document.querySelectorAll('#tf-{alpha} .plot .axis text').length");
        Assert.True(axes.GetInt32() >= 4, "the plot's axes have no labels");

        // Top task errors as the TMS last reported them.
        var errors = await Browser.EvaluateAsync($"document.querySelector('#tf-{alpha} .errors-body').innerText");
        foreach (var error in TmsSamples.TopTaskErrors(2).Keys)
        {
            Assert.Contains(error, errors.GetString(), StringComparison.Ordinal);
        }

        // The explanation, when the service gives one; else the page says it is not available.
        var explain = await Host.User.GetAsync($"v1/workflows/{workflowId}/explain");
        if (explain.Status == 200)
        {
            foreach (var item in explain.Object["taskforces"]!.AsArray())
            {
                var uuid = item!["taskforce_uuid"]!.GetValue<string>();
                var shownReason = await Browser.EvaluateAsync($"document.querySelector('#tf-{uuid} .explanation').dataset.reason");
                Assert.Equal(item["reason"]!.GetValue<string>(), shownReason.GetString());
                Assert.Contains(item["message"]!.GetValue<string>(), text, StringComparison.Ordinal);
            }
            Assert.Contains(explain.Object["summary"]!.GetValue<string>(), text, StringComparison.Ordinal);
        }
        else
        {
            Assert.Equal(404, explain.Status);
            Assert.Contains("No explanation is available from this service.", text, StringComparison.Ordinal);
        }
        AssertOnlyTheServiceWasAsked(Browser, Service, before, AwaitedRouteMissing);
    }

    [Fact]
    public async Task AStatusTheTmsReportsAppearsWithoutAReload()
    {
        var (workflowId, alpha, _) = await RunningWorkflowAsync();
        var history = await HistoryAsync(alpha);
        var before = Browser.Mark();
        await Browser.NavigateAsync(new Uri(Service, $"ui/workflows/{workflowId}"));
        Assert.True(await Browser.WaitForAsync(
            $"document.querySelector('#tf-{alpha} .plot svg') && document.getElementById('live').dataset.state === 'live'"),
            $"the page did not go live; it shows:\n{await Browser.TextAsync()}");

        // The TMS reports 17 workers tasking; the page shows it, and its plot gains a point, without a reload.
        var statuses = new Dictionary<string, Dictionary<string, int>> { ["RUNNING"] = new() { ["Tasking"] = 17 } };
        await ReportAsync(alpha, statuses, TmsSamples.TopTaskErrors(2));
        var updated = await Browser.WaitForAsync(
            $"document.querySelector('#tf-{alpha} .now-body tr[data-condor=\"RUNNING\"][data-pilot=\"Tasking\"]')?.dataset.count === '17'");
        await SaveScreenshotAsync(Browser, output, "ui-workflow-live");
        Assert.True(updated, $"the reported status did not appear; the page shows:\n{await Browser.TextAsync()}");
        Assert.True(await Browser.WaitForAsync(
            $"document.querySelector('#tf-{alpha} .plot svg').dataset.entries === '{history.Count + 1}'"));
        // One page load: the navigation's.
        Assert.Single(Browser.SentRequests.Skip(before.Requests), r => r.Url.AbsolutePath == $"/ui/workflows/{workflowId}");
        AssertOnlyTheServiceWasAsked(Browser, Service, before);
    }

    [Fact]
    public async Task AtPhoneWidthNothingSpillsSidewaysAndBothSchemesKeepTextReadable()
    {
        var (workflowId, alpha, _) = await RunningWorkflowAsync();
        var before = Browser.Mark();
        try
        {
            foreach (var (page, ready) in new[]
            {
                ($"ui/workflows/{workflowId}", $"document.querySelector('#tf-{alpha} .plot svg')"),
                ("ui", $"document.querySelector('tr[data-workflow-id={Js(workflowId)}]')"),
            })
            {
                foreach (var scheme in new[] { "light", "dark" })
                {
                    await Browser.SetViewportAsync(390, 844, mobile: true);
                    await Browser.SetColorSchemeAsync(scheme);
                    await Browser.NavigateAsync(new Uri(Service, page));
                    Assert.True(await Browser.WaitForAsync(ready), $"{page} did not render at phone width");
                    var name = page.StartsWith("ui/workflows", StringComparison.Ordinal) ? "workflow" : "list";
                    await SaveScreenshotAsync(Browser, output, $"ui-{name}-phone-{scheme}");

                    var widths = await Browser.EvaluateAsync("[document.documentElement.scrollWidth, window.innerWidth]");
                    Assert.True(widths[0].GetInt32() <= widths[1].GetInt32(),
                        $"{page} is {widths[0]} px wide in a {widths[1]} px window ({scheme})");
                    var contrast = await Browser.EvaluateAsync(ContrastScript);
                    output.WriteLine($"{page} {scheme}: {contrast}");
                    var dark = contrast.GetProperty("backgroundLuminance").GetDouble() < 0.2;
                    Assert.Equal(scheme == "dark", dark);
                    foreach (var item in contrast.GetProperty("texts").EnumerateArray())
                    {
                        Assert.True(item.GetProperty("ratio").GetDouble() >= 4.5,
                            $"{item.GetProperty("what").GetString()} has a contrast of {item.GetProperty("ratio")} ({scheme}, {page})");
                    }
                }
            }
        }
        finally
        {
            await Browser.ResetViewportAsync();
            await Browser.SetColorSchemeAsync("");
        }
        AssertOnlyTheServiceWasAsked(Browser, Service, before, AwaitedRouteMissing);
    }

    [Fact]
    public async Task TimesAreShownInTheBrowsersTimeZoneWithUtcOnHover()
    {
        var created = await Host.User.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha));
        var workflowId = Flow.WorkflowId(created);
        var timestamp = Flow.Number(created["workflow"]!["timestamp"]);
        var before = Browser.Mark();
        try
        {
            // Kathmandu is 5 h 45 min ahead of UTC: its minutes differ from UTC's at any time.
            await Browser.SetTimeZoneAsync("Asia/Kathmandu");
            await Browser.NavigateAsync(new Uri(Service, "ui"));
            Assert.True(await Browser.WaitForAsync($"document.querySelector('tr[data-workflow-id={Js(workflowId)}] time')"));
            var time = await Browser.EvaluateAsync(
                $"(t => ({{ text: t.textContent, title: t.title, datetime: t.dateTime }}))(document.querySelector('tr[data-workflow-id={Js(workflowId)}] td[data-label=Created] time'))");

            var instant = DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Floor(timestamp * 1000));
            var local = instant.ToOffset(new TimeSpan(5, 45, 0));
            Assert.Contains(local.ToString(":mm:ss", CultureInfo.InvariantCulture), time.GetProperty("text").GetString(), StringComparison.Ordinal);
            Assert.Equal(instant.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) + " UTC", time.GetProperty("title").GetString());
            Assert.Equal(instant, DateTimeOffset.Parse(time.GetProperty("datetime").GetString()!, CultureInfo.InvariantCulture));
        }
        finally
        {
            await Browser.SetTimeZoneAsync("");
        }
        AssertOnlyTheServiceWasAsked(Browser, Service, before);
    }

    private const string SubmitError = "condor_submit: schedd SCHEDD2 unreachable";

    /// <summary>
    /// A workflow with a taskforce at each pool: alpha's submitted, with three status reports; beta's submit failed
    /// once, so it waits to be offered again.
    /// </summary>
    private async Task<(string WorkflowId, string Alpha, string Beta)> RunningWorkflowAsync()
    {
        var created = await Host.CreateStartableAsync(Flow.SimpleWorkflow(Flow.Alpha, Flow.Beta));
        var alpha = TaskforceAt(created, WmsServer.AlphaSchedd);
        var beta = TaskforceAt(created, WmsServer.BetaSchedd);
        await Host.SubmitAsync(alpha);
        Assert.Equal(200, (await Host.Beta.FailSubmitAsync(beta, SubmitError)).StatusCode);
        for (var variant = 0; variant < 3; variant++)
        {
            await ReportAsync(alpha, TmsSamples.CompoundStatuses(variant), TmsSamples.TopTaskErrors(variant));
        }
        Assert.True(await Poll.UntilAsync(async () => (await HistoryAsync(alpha)).Count == 3, LifecycleHost.Deadline),
            "the status history did not get its three entries");
        return (Flow.WorkflowId(created), alpha, beta);
    }

    private async Task ReportAsync(
        string uuid, Dictionary<string, Dictionary<string, int>> statuses, Dictionary<string, int> errors)
    {
        var answer = await Host.Alpha.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [uuid] = statuses },
            new Dictionary<string, Dictionary<string, int>> { [uuid] = errors });
        Assert.Equal(200, answer.StatusCode);
    }

    private async Task<JsonArray> HistoryAsync(string uuid)
    {
        var answer = await Host.User.GetAsync($"v1/taskforces/{uuid}/status-history");
        Assert.Equal(200, answer.Status);
        return answer.Object["history"]!.AsArray();
    }

    private static string TaskforceAt(JsonObject created, string schedd) =>
        created["taskforces"]!.AsArray().Single(t => t!["schedd"]!.GetValue<string>() == schedd)!["taskforce_uuid"]!
            .GetValue<string>();

    /// <summary>"phase=n,..." in phase order, as the list puts it on each row.</summary>
    private async Task<string> PhaseCountsAsync(JsonObject created)
    {
        var found = await Host.User.FindTaskforcesAsync(new JsonObject { ["workflow_id"] = Flow.WorkflowId(created) }, "phase");
        string[] order = ["pre-mq-activation", "pre-launch", "pending-starter", "condor-submit", "pending-stopper", "condor-rm", "condor-complete"];
        return string.Join(",", found.Select(t => t!["phase"]!.GetValue<string>()).GroupBy(p => p)
            .OrderBy(g => Array.IndexOf(order, g.Key)).Select(g => $"{g.Key}={g.Count()}"));
    }

    /// <summary>
    /// The contrast ratio (WCAG's) of the page's kinds of text against the page's background: body text, muted text,
    /// links and the state badges. Each element must be on the page.
    /// </summary>
    private const string ContrastScript = """
        (() => {
          const rgb = c => c.match(/[\d.]+/g).slice(0, 3).map(Number);
          const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; })
            .reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
          const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
          const background = rgb(getComputedStyle(document.body).backgroundColor);
          const texts = [
            ['body text', document.querySelector('main h1')],
            ['muted text', document.querySelector('thead th, .facts dt')],
            ['a link', document.querySelector('main a')],
            ['a state', document.querySelector('.state')],
          ].filter(([, e]) => e).map(([what, e]) => ({ what, ratio: ratio(rgb(getComputedStyle(e).color), background) }));
          return { backgroundLuminance: lum(background), texts };
        })()
        """;
}
