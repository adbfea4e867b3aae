using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using Xunit.Abstractions;
using static Wms.Api.Tests.Pages.WebViewChecks;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// A workflow's page follows the events stream: each kind of event changes what it shows, without a reload, and after
/// a dropped connection the page comes back with the last event's id, so that nothing is lost. The stream is a
/// stand-in of the agreed format (<see cref="StandInEventStream"/>) in front of a real service, since the real route
/// is built elsewhere; the service's own data fill the page.
/// </summary>
public sealed class WebViewLiveTests(ITestOutputHelper output)
{
    [Fact]
    public async Task EachEventUpdatesThePageAndAfterADropItResumesFromTheLastEvent()
    {
        var stream = new StandInEventStream();
        await using var server = await WmsServer.StartAsync(StorageMode.Memory,
            customize: b => b.Services.AddSingleton<IStartupFilter>(stream));
        await using var browser = await HeadlessChromium.StartAsync();
        await browser.EmulateFocusAsync();
        var user = new UserClient(server.Http);
        var tms = new SimulatedTms(server.Http, WmsServer.AlphaCollector, WmsServer.AlphaSchedd, V0Schema.Shared);
        var created = await user.CreateWorkflowAsync(Flow.SimpleWorkflow(Flow.Alpha));
        var workflowId = Flow.WorkflowId(created);
        var uuid = Flow.TaskforceUuids(created).Single();
        Assert.True(await Poll.UntilAsync(async () => Flow.PhaseOf(await user.TaskforceAsync(uuid)) == Flow.PendingStarter,
            LifecycleHost.Deadline));
        await tms.SubmitAsync(uuid, 5001, 3);
        await tms.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [uuid] = TmsSamples.CompoundStatuses(0) },
            new Dictionary<string, Dictionary<string, int>> { [uuid] = TmsSamples.TopTaskErrors(0) });
        Assert.True(await Poll.UntilAsync(async () => (await user.GetAsync($"v1/taskforces/{uuid}/status-history"))
            .Object["history"]!.AsArray().Count == 1, LifecycleHost.Deadline));
        var before = browser.Mark();

        await browser.NavigateAsync(new Uri(server.BaseAddress, $"ui/workflows/{workflowId}"));
        var live = await browser.WaitForAsync(
            $"document.getElementById('live').dataset.state === 'live' && document.querySelector('#tf-{uuid} .plot svg')");
        Assert.True(live, $"the page did not go live; it shows:\n{await browser.TextAsync()}");
        Assert.Null(stream.Connections.Single().LastEventId);
        Assert.Equal("Live", (await browser.EvaluateAsync("document.getElementById('live').textContent")).GetString());
        // Watch the indicator from here on.
        await browser.EvaluateAsync("""
            (() => { const live = document.getElementById('live'); window.liveStates = [];
              new MutationObserver(() => window.liveStates.push(live.dataset.state)).observe(live, { attributes: true }); })()
            """);

        // The snapshot repeats what the page shows; then the TMS's next report arrives as a taskforce event.
        var taskforce = (await user.GetAsync($"v1/taskforces/{uuid}")).Object;
        stream.Send("snapshot", new JsonObject
        {
            ["workflow"] = (await user.GetAsync($"v1/workflows/{workflowId}")).Body!.DeepClone(),
            ["taskforces"] = new JsonArray(Summary(taskforce, "snapshot")),
            ["resumed"] = false,
        });
        var report = Summary(taskforce, "status");
        report["compound_statuses"] = new JsonObject { ["RUNNING"] = new JsonObject { ["Tasking"] = 9 } };
        report["top_task_errors"] = new JsonObject { ["HELD: Disk quota exceeded"] = 2 };
        var reportId = stream.Send("taskforce", report);
        Assert.True(await browser.WaitForAsync(
            $"document.querySelector('#tf-{uuid} .now-body tr[data-condor=RUNNING][data-pilot=Tasking]')?.dataset.count === '9' && " +
            $"document.querySelector('#tf-{uuid} .plot svg').dataset.entries === '2'"),
            $"the status event did not show; the page shows:\n{await browser.TextAsync()}");
        Assert.Contains("HELD: Disk quota exceeded", (await browser.TextAsync()), StringComparison.Ordinal);
        var points = await browser.EvaluateAsync(
            $"[...document.querySelectorAll('#tf-{uuid} .plot .series')].map(g => g.querySelectorAll('circle').length)");
        Assert.All(points.EnumerateArray(), p => Assert.Equal(2, p.GetInt32()));

        // The connection drops; the page says so, comes back, and resumes after the last event it had.
        stream.Drop();
        Assert.True(await Poll.UntilAsync(() => stream.Connections.Count == 2, LifecycleHost.Deadline),
            "the page did not connect again");
        Assert.Equal(reportId, stream.Connections[1].LastEventId);
        Assert.True(await browser.WaitForAsync(
            "window.liveStates.includes('reconnecting') && document.getElementById('live').dataset.state === 'live'"));

        // An explanation replaces what the page said of the taskforce.
        stream.Send("explain", new JsonObject
        {
            ["taskforce_uuid"] = uuid,
            ["workflow_id"] = workflowId,
            ["task_id"] = taskforce["task_id"]!.DeepClone(),
            ["schedd"] = WmsServer.AlphaSchedd,
            ["collector"] = WmsServer.AlphaCollector,
            ["phase"] = "condor-submit",
            ["reason"] = "workers-held",
            ["message"] = "HTCondor cluster 5001 holds 2 of 3 workers: HELD: Disk quota exceeded.",
            ["since"] = Flow.Now(),
            ["evidence"] = new JsonObject { ["cluster_id"] = 5001, ["held"] = 2, ["seconds_since_poll"] = 42 },
            ["action"] = "Ask for more disk with worker_disk, then add workers.",
        });
        Assert.True(await browser.WaitForAsync(
            $"document.querySelector('#tf-{uuid} .explanation')?.dataset.reason === 'workers-held'"),
            $"the explanation did not show; the page shows:\n{await browser.TextAsync()}");
        var why = (await browser.EvaluateAsync($"document.querySelector('#tf-{uuid} .explain-body').innerText")).GetString()!;
        Assert.Contains("holds 2 of 3 workers", why, StringComparison.Ordinal);
        Assert.Contains("Ask for more disk", why, StringComparison.Ordinal);
        Assert.Contains("42 s", why, StringComparison.Ordinal);

        // A phase change moves the badge and adds a phase to the timeline; the workflow's deactivation its state.
        var segments = (await browser.EvaluateAsync($"document.querySelectorAll('#tf-{uuid} .seg').length")).GetInt32();
        var stop = Summary(taskforce, "phase");
        stop["phase"] = Flow.PendingStopper;
        stop["previous_phase"] = Flow.CondorSubmit;
        stop["last_log"] = new JsonObject
        {
            ["target_phase"] = Flow.PendingStopper,
            ["timestamp"] = Flow.Now(),
            ["was_successful"] = true,
            ["source_event_time"] = null,
            ["source_entity"] = Flow.User,
            ["description"] = "The workflow was deactivated.",
        };
        stream.Send("taskforce", stop);
        var workflow = (await user.GetAsync($"v1/workflows/{workflowId}")).Object;
        workflow["deactivated"] = "ABORTED";
        workflow["deactivated_ts"] = Flow.Now();
        stream.Send("workflow", new JsonObject { ["workflow"] = workflow, ["change"] = "deactivated", ["timestamp"] = Flow.Now() });
        Assert.True(await browser.WaitForAsync(
            $"document.getElementById('tf-{uuid}').dataset.phase === 'pending-stopper' && " +
            $"document.querySelectorAll('#tf-{uuid} .seg').length === {segments + 1} && " +
            "document.getElementById('workflow-state').textContent === 'aborted'"),
            $"the phase change and deactivation did not show; the page shows:\n{await browser.TextAsync()}");
        await browser.EvaluateAsync($"[...document.querySelectorAll('#tf-{uuid} .seg')].at(-1).focus()");
        Assert.Contains("The workflow was deactivated.",
            (await browser.EvaluateAsync($"document.querySelector('#tf-{uuid} .timeline-detail').textContent")).GetString(),
            StringComparison.Ordinal);
        await SaveScreenshotAsync(browser, output, "ui-workflow-events");

        // All of it without a reload: the page was loaded once.
        Assert.Single(browser.SentRequests.Skip(before.Requests), r => r.Url.AbsolutePath == $"/ui/workflows/{workflowId}");
        Assert.All(stream.Connections, c => Assert.Null(c.Authorization));
        AssertOnlyTheServiceWasAsked(browser, server.BaseAddress, before, AwaitedRouteMissing);
    }

    /// <summary>A taskforce summary as the events stream sends it, from the taskforce's /v1 document.</summary>
    private static JsonObject Summary(JsonObject taskforce, string change)
    {
        var log = taskforce["phase_change_log"]!.AsArray();
        return new JsonObject
        {
            ["taskforce_uuid"] = taskforce["taskforce_uuid"]!.DeepClone(),
            ["task_id"] = taskforce["task_id"]!.DeepClone(),
            ["workflow_id"] = taskforce["workflow_id"]!.DeepClone(),
            ["schedd"] = taskforce["schedd"]!.DeepClone(),
            ["collector"] = WmsServer.AlphaCollector,
            ["phase"] = taskforce["phase"]!.DeepClone(),
            ["previous_phase"] = null,
            ["change"] = change,
            ["cluster_id"] = taskforce["cluster_id"]?.DeepClone(),
            ["n_workers"] = taskforce["n_workers"]?.DeepClone(),
            ["compound_statuses"] = taskforce["compound_statuses"]?.DeepClone() ?? new JsonObject(),
            ["top_task_errors"] = taskforce["top_task_errors"]?.DeepClone() ?? new JsonObject(),
            ["last_log"] = log[^1]!.DeepClone(),
            ["timestamp"] = Flow.Now(),
        };
    }
}
