using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Wms.Api.Tests.Infrastructure;
using Wms.Api.Tests.Lifecycle;
using Wms.Testing;
using Xunit.Abstractions;
using static Wms.Api.Tests.Pages.WebViewChecks;

namespace Wms.Api.Tests.Pages;

/// <summary>
/// The picture of the web view in <c>Docs/images/web-view.png</c>: a workflow page with the data of an hour of a real
/// run (pools named as IceCube's, a submit that failed once, six status reports some minutes apart, held workers and
/// their errors, a pool whose TMS never asked for work). The service's clock is moved on between the steps, so that
/// the times are an hour's, not a test's seconds. With <c>WMS_UPDATE_DOCS=1</c> the picture is written again.
/// </summary>
public sealed class WebViewPictureTests(ITestOutputHelper output)
{
    private const string Sub2Schedd = "sub-2.icecube.wisc.edu";
    private const string OsgSchedd = "ap40.uw.osg-htc.org";

    [Fact]
    public async Task TheDocsPictureIsAWorkflowPageWithAnHoursData()
    {
        // The service starts an hour behind and is moved on to now by the end, step by step.
        var clock = new MovableClock(TimeSpan.FromMinutes(-62));
        await using var server = await WmsServer.StartAsync(StorageMode.Memory, s =>
        {
            s["WMS_CLUSTER_LOCATIONS"] = new JsonObject
            {
                ["sub-2"] = new JsonObject { ["collector"] = "glidein-cm.icecube.wisc.edu", ["schedd"] = Sub2Schedd },
                ["osg"] = new JsonObject { ["collector"] = "cm-1.ospool.osg-htc.org", ["schedd"] = OsgSchedd },
            }.ToJsonString();
        }, b => b.Services.AddSingleton<TimeProvider>(clock));
        await using var browser = await HeadlessChromium.StartAsync();
        var user = new UserClient(server.Http);
        var tms = SimulatedTms.ForV1(server.Http, Sub2Schedd, 104_501);

        var task = Flow.Task(["sub-2", "osg"], ["events"], ["results"], nWorkers: 40);
        var created = await user.CreateWorkflowAsync(Flow.Workflow([task], ["events", "results"], priority: 70));
        var workflowId = Flow.WorkflowId(created);
        var sub2 = created["taskforces"]!.AsArray().Single(t => t!["schedd"]!.GetValue<string>() == Sub2Schedd)!
            ["taskforce_uuid"]!.GetValue<string>();
        Assert.True(await Poll.UntilAsync(async () => Flow.PhaseOf(await user.TaskforceAsync(sub2)) == Flow.PendingStarter,
            LifecycleHost.Deadline));

        clock.MoveOn(TimeSpan.FromMinutes(3));
        Assert.Equal(200, (await tms.FailSubmitAsync(sub2, "Failed to connect to schedd sub-2.icecube.wisc.edu: timed out")).StatusCode);
        clock.MoveOn(TimeSpan.FromMinutes(1));
        Assert.Equal(200, (await tms.SubmitAsync(sub2, 104_501, 40)).StatusCode);
        (int Idle, int Tasking, int Starting, int Held)[] reports =
            [(40, 0, 0, 0), (22, 12, 6, 0), (8, 27, 3, 2), (2, 33, 1, 4), (0, 35, 0, 5), (0, 34, 0, 6)];
        foreach (var (idle, tasking, starting, held) in reports)
        {
            clock.MoveOn(TimeSpan.FromMinutes(9));
            var statuses = new Dictionary<string, Dictionary<string, int>>();
            if (idle > 0)
            {
                statuses["IDLE"] = new() { ["null"] = idle };
            }
            if (tasking + starting > 0)
            {
                statuses["RUNNING"] = starting == 0 ? new() { ["Tasking"] = tasking } : new() { ["Tasking"] = tasking, ["null"] = starting };
            }
            if (held > 0)
            {
                statuses["HELD"] = new() { ["null"] = held };
            }
            var errors = held == 0
                ? new Dictionary<string, int>()
                : new Dictionary<string, int>
                {
                    ["HELD: Memory usage exceeds a memory limit (8192 MB)"] = held,
                    ["TimeoutError: task exceeded 3600.0 seconds"] = held / 2,
                };
            var answer = await tms.SendStatusesAsync(
                new Dictionary<string, Dictionary<string, Dictionary<string, int>>> { [sub2] = statuses },
                new Dictionary<string, Dictionary<string, int>> { [sub2] = errors });
            Assert.Equal(200, answer.StatusCode);
        }
        Assert.True(await Poll.UntilAsync(async () => (await user.GetAsync($"v1/taskforces/{sub2}/status-history"))
            .Object["history"]!.AsArray().Count == reports.Length, LifecycleHost.Deadline));
        clock.MoveOn(TimeSpan.FromMinutes(3));
        var before = browser.Mark();

        await browser.SetViewportAsync(1200, 900);
        await browser.NavigateAsync(new Uri(server.BaseAddress, $"ui/workflows/{workflowId}"));
        Assert.True(await browser.WaitForAsync(
            $"document.querySelectorAll('article.taskforce').length === 2 && " +
            $"document.querySelector('#tf-{sub2} .plot svg')?.dataset.entries === '{reports.Length}'"),
            $"the workflow page did not render; it shows:\n{await browser.TextAsync()}");
        await SaveScreenshotAsync(browser, output, "web-view");
        AssertOnlyTheServiceWasAsked(browser, server.BaseAddress, before, AwaitedRouteMissing);

        var picture = RepositoryFiles.PathOf("Docs", "images", "web-view.png");
        if (Environment.GetEnvironmentVariable("WMS_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(picture)!);
            await browser.FullPageScreenshotAsync(picture);
        }
        Assert.True(File.Exists(picture), $"{picture} is missing; run this test with WMS_UPDATE_DOCS=1");
        var signature = new byte[8];
        await using (var file = File.OpenRead(picture))
        {
            await file.ReadExactlyAsync(signature);
        }
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A }, signature);
    }

    /// <summary>The real clock, moved by a test: behind to begin with, then on, step by step; never back.</summary>
    private sealed class MovableClock(TimeSpan offset) : TimeProvider
    {
        private long _offsetTicks = offset.Ticks;

        public void MoveOn(TimeSpan by)
        {
            Assert.True(by > TimeSpan.Zero);
            Interlocked.Add(ref _offsetTicks, by.Ticks);
        }

        public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));
    }
}
