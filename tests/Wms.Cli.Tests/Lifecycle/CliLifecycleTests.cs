using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Cli.Tests.Tool;
using Wms.Testing;

namespace Wms.Cli.Tests.Lifecycle;

/// <summary>
/// A workflow's whole life driven by the packed tool against a running service, with a simulated TMS playing
/// HTCondor, and every answer read back through <c>--json</c>.
/// </summary>
public sealed class CliLifecycleTests(CliServer cli) : IClassFixture<CliServer>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AYamlWorkflowIsSubmittedReadFoundGrownAndAbortedThroughThePackedTool()
    {
        using var directory = new TempDirectory();
        var file = directory.Write("scan.yaml", WorkflowRequests.Yaml(priority: 61));

        var created = (await cli.RunAsync("submit", file, "--json")).Json();
        var workflowId = created["workflow"]!["workflow_id"]!.GetValue<string>();
        Assert.Equal(61, created["workflow"]!["priority"]!.GetValue<int>());
        var taskforce = Assert.Single(created["taskforces"]!.AsArray())!;
        var uuid = taskforce["taskforce_uuid"]!.GetValue<string>();
        var taskId = Assert.Single(created["task_directives"]!.AsArray())!["task_id"]!.GetValue<string>();
        Assert.Equal(2048, taskforce["worker_config"]!["worker_memory"]!.GetValue<int>());
        Assert.Equal("scan {{INFILE}} {{OUTFILE}}", created["task_directives"]![0]!["task_args"]!.GetValue<string>());

        // The TMS at the workflow's schedd starts it, and reports its workers.
        Assert.True(await Poll.UntilAsync(async () => await PhaseAsync(uuid) == "pending-starter", Deadline));
        var tms = SimulatedTms.ForV1(cli.Server.Http, WmsServer.AlphaSchedd);
        Assert.Equal([uuid], await tms.RunStarterCycleAsync());
        var statuses = await tms.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                [uuid] = new() { ["RUNNING"] = new() { ["Tasking"] = 8, ["null"] = 2 } },
            },
            new Dictionary<string, Dictionary<string, int>> { [uuid] = new() { ["HELD: Memory usage exceeds a memory limit"] = 1 } });
        Assert.Equal(200, statuses.StatusCode);

        // get: the service's objects as it gives them, together.
        var got = (await cli.RunAsync("get", workflowId, "--json")).Json();
        var direct = await cli.Server.Http.GetFromJsonAsync<JsonObject>($"v1/workflows/{workflowId}");
        Assert.True(JsonNode.DeepEquals(direct, got["workflow"]), got.ToJsonString());
        Assert.Equal(taskId, Assert.Single(got["task_directives"]!.AsArray())!["task_id"]!.GetValue<string>());
        var read = Assert.Single(got["taskforces"]!.AsArray())!;
        Assert.Equal("condor-submit", read["phase"]!.GetValue<string>());
        Assert.Equal(8, read["compound_statuses"]!["RUNNING"]!["Tasking"]!.GetValue<int>());

        // get, for people: the taskforce's location, phase, workers and statuses in a table, and its top error.
        var shown = await cli.RunAsync("get", workflowId);
        Assert.Equal(0, shown.ExitCode);
        var row = Assert.Single(shown.Stdout.Split('\n'), line => line.Contains(uuid, StringComparison.Ordinal)
            && line.Contains(WmsServer.AlphaSchedd, StringComparison.Ordinal));
        Assert.Contains(taskId, row);
        Assert.Contains("condor-submit", row);
        Assert.Contains("RUNNING: Tasking 8, null 2", row);
        Assert.Contains($"Top task errors:\n{uuid}: 1 × HELD: Memory usage exceeds a memory limit", shown.Stdout);

        // ls: by a filter, by a taskforce phase, by state.
        var mine = $$"""{"workflow_id": "{{workflowId}}"}""";
        Assert.Equal([workflowId], Ids(await cli.RunAsync("ls", "--filter", mine, "--json")));
        Assert.Contains(workflowId, Ids(await cli.RunAsync("ls", "--phase", "condor-submit", "--json")));
        Assert.Empty(Ids(await cli.RunAsync("ls", "--filter", mine, "--phase", "pending-starter", "--json")));

        // queues: the public queue's profile, activated, with its token.
        var queues = (await cli.RunAsync("queues", workflowId, "--json")).Json();
        var profile = Assert.Single(queues["mqprofiles"]!.AsArray())!;
        Assert.Equal("results", profile["alias"]!.GetValue<string>());
        Assert.True(profile["is_activated"]!.GetValue<bool>());
        Assert.False(string.IsNullOrEmpty(profile["auth_token"]!.GetValue<string>()));

        // add-workers: one more taskforce for the task, elsewhere, ahead of the queue.
        var added = (await cli.RunAsync(
            "add-workers", taskId, "--cluster-location", "test-beta", "--n-workers", "3", "--json")).Json();
        Assert.Equal(taskId, added["task_id"]!.GetValue<string>());
        Assert.Equal(WmsServer.BetaSchedd, added["schedd"]!.GetValue<string>());
        Assert.Equal(3, added["n_workers"]!.GetValue<int>());
        Assert.Equal(161, added["priority"]!.GetValue<int>());

        // abort: both taskforces are told to stop.
        var aborted = (await cli.RunAsync("abort", workflowId, "--json")).Json();
        Assert.Equal(workflowId, aborted["workflow_id"]!.GetValue<string>());
        Assert.Equal(2, aborted["n_taskforces"]!.GetValue<int>());
        var after = (await cli.RunAsync("get", workflowId, "--json")).Json();
        Assert.Equal("ABORTED", after["workflow"]!["deactivated"]!.GetValue<string>());
        Assert.Equal(2, after["taskforces"]!.AsArray().Count);
        Assert.All(after["taskforces"]!.AsArray(), t => Assert.Equal("pending-stopper", t!["phase"]!.GetValue<string>()));
        Assert.Equal([workflowId], Ids(await cli.RunAsync("ls", "--filter", mine, "--state", "aborted", "--json")));
        Assert.Empty(Ids(await cli.RunAsync("ls", "--filter", mine, "--state", "active", "--json")));

        // A second deactivation finds nothing left to deactivate: the service's 404, exit 3.
        var again = await cli.RunAsync("finish", workflowId);
        Assert.Equal(3, again.ExitCode);
        Assert.Contains($"no non-deactivated workflow found with workflow_id='{workflowId}'", again.ErrorLine());
    }

    [Fact]
    public async Task LsFollowsThePagesToTheEndAndStopsAtTheLimit()
    {
        List<string> submitted = [];
        for (var i = 0; i < 3; i++)
        {
            using var content = new StringContent(WorkflowRequests.Json(priority: 37), System.Text.Encoding.UTF8, "application/json");
            using var response = await cli.Server.Http.PostAsync("v1/workflows", content);
            response.EnsureSuccessStatusCode();
            var creation = await response.Content.ReadFromJsonAsync<JsonObject>();
            submitted.Add(creation!["workflow"]!["workflow_id"]!.GetValue<string>());
        }
        var filter = """{"priority": 37}""";
        // The service answers these three in more than one page, so the tool has pages to follow.
        using (var first = new StringContent($$"""{"query": {{filter}}}""", System.Text.Encoding.UTF8, "application/json"))
        {
            using var page = await cli.Server.Http.PostAsync("v1/query/workflows", first);
            var body = await page.Content.ReadFromJsonAsync<JsonObject>();
            Assert.NotNull(body!["next_after"]);
            Assert.True(body["workflows"]!.AsArray().Count < 3);
        }

        Assert.Equal(submitted.Order(), Ids(await cli.RunAsync("ls", "--filter", filter, "--json")).Order());
        Assert.Equal(submitted.Take(2), Ids(await cli.RunAsync("ls", "--filter", filter, "--limit", "2", "--json")));
        var table = await cli.RunAsync("ls", "--filter", filter, "--limit", "2");
        Assert.Equal(0, table.ExitCode);
        Assert.Contains(submitted[0], table.Stdout);
        Assert.DoesNotContain(submitted[2], table.Stdout);
        Assert.Contains("2 workflows shown; more match (raise --limit)", table.Stdout);
    }

    [Fact]
    public async Task AJsonRequestIsReadFromStandardInputAndTheV0GenerationIsSpokenOnRequest()
    {
        var created = (await cli.RunAsync(["submit", "-", "--json"], WorkflowRequests.Json(priority: 12))).Json();
        Assert.Null(created["taskforces"]![0]!["collector"]);

        var v0 = (await cli.RunAsync(["--api", "v0", "submit", "-", "--json"], WorkflowRequests.Json(priority: 13, v1: false))).Json();
        var taskforce = v0["taskforces"]![0]!.AsObject();
        Assert.Equal(WmsServer.AlphaCollector, taskforce["collector"]!.GetValue<string>());
        Assert.False(taskforce["worker_config"]!.AsObject().ContainsKey("condor_requirements"));
        var workflowId = v0["workflow"]!["workflow_id"]!.GetValue<string>();
        var found = (await cli.RunAsync("--api", "v0", "ls", "--filter", $$"""{"workflow_id": "{{workflowId}}"}""", "--json")).Json();
        Assert.True(Assert.Single(found["workflows"]!.AsArray())!.AsObject().ContainsKey("mq_activated_ts"));
    }

    [Fact]
    public async Task ARequestOnlyTheServiceCanJudgeIsRefusedWithItsMessageAndExitTwo()
    {
        using var directory = new TempDirectory();
        // Which locations exist is the service's configuration: the tool passes the name on, the service refuses it.
        var file = directory.Write("elsewhere.yaml", WorkflowRequests.Yaml(priority: 20, location: "nowhere"));
        var run = await cli.RunAsync("submit", file);
        Assert.Equal(2, run.ExitCode);
        Assert.Equal("wms: the service refused the request: condor cluster location not found: nowhere", run.ErrorLine());
        Assert.Equal("", run.Stdout);
    }

    [Fact]
    public async Task AnUnknownWorkflowIsExitThreeWithTheServicesMessage()
    {
        var run = await cli.RunAsync("get", "WF-0-00000000");
        Assert.Equal(3, run.ExitCode);
        Assert.Equal("wms: not found: no workflow found with id: WF-0-00000000", run.ErrorLine());
    }

    private async Task<string?> PhaseAsync(string uuid) =>
        (await cli.Server.Http.GetFromJsonAsync<JsonObject>($"v1/taskforces/{uuid}"))?["phase"]?.GetValue<string>();

    private static List<string> Ids(ToolRun run) =>
        [.. run.Json()["workflows"]!.AsArray().Select(w => w!["workflow_id"]!.GetValue<string>())];
}
