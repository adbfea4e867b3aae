using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;
using Wms.Cli.Tests.Tool;
using Wms.Testing;

namespace Wms.Cli.Tests.Lifecycle;

/// <summary>
/// <c>wms watch</c> and <c>wms explain</c> from the packed tool against a running service, while a simulated TMS
/// takes the workflow through its life.
/// </summary>
public sealed class CliWatchTests(CliServer cli) : IClassFixture<CliServer>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task WatchPrintsEveryChangeAsJsonLinesInOrderAndEndsWhenTheWorkflowIsDone()
    {
        var (workflowId, uuid) = await SubmitAsync(priority: 41);
        await using var watch = cli.Start("watch", workflowId, "--json");
        var first = JsonNode.Parse(await watch.NextLineAsync(Deadline))!;
        Assert.Equal("snapshot", first["event"]!.GetValue<string>());
        Assert.Equal(workflowId, first["data"]!["workflow"]!["workflow_id"]!.GetValue<string>());
        Assert.Equal(uuid, Assert.Single(first["data"]!["taskforces"]!.AsArray())!["taskforce_uuid"]!.GetValue<string>());

        // The taskforce's whole life, played by the TMS at its schedd and the user.
        Assert.True(await Poll.UntilAsync(async () => await PhaseAsync(uuid) == "pending-starter", Deadline));
        var tms = SimulatedTms.ForV1(cli.Server.Http, WmsServer.AlphaSchedd);
        // Other tests' taskforces may wait at the same schedd; this one must be among those started.
        Assert.Contains(uuid, await tms.RunStarterCycleAsync());
        Assert.Equal(200, (await tms.SendStatusesAsync(
            new Dictionary<string, Dictionary<string, Dictionary<string, int>>>
            {
                [uuid] = new() { ["RUNNING"] = new() { ["Tasking"] = 3 }, ["IDLE"] = new() { ["null"] = 1 } },
            },
            new Dictionary<string, Dictionary<string, int>> { [uuid] = new() { ["Exit code 1"] = 1 } })).StatusCode);
        using (var finish = await cli.Server.Http.PostAsync($"v1/workflows/{workflowId}/actions/finished", JsonContent.Create(new { })))
        {
            finish.EnsureSuccessStatusCode();
        }
        Assert.Equal([uuid], await tms.RunStopperCycleAsync());
        Assert.Equal(200, (await tms.CompleteAsync(uuid, 1_700_000_000)).StatusCode);

        var run = await watch.WaitForExitAsync(Deadline);
        Assert.True(run.ExitCode == 0, run.ToString());
        var events = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonNode.Parse(l)!).ToList();
        // An explanation carries the id of the event before it (it is not replayed on resume); every other is new.
        var ids = events.Where(e => e["event"]!.GetValue<string>() != "explain").Select(e => e["id"]!.GetValue<string>()).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());
        var phases = events.Where(e => e["event"]!.GetValue<string>() == "taskforce")
            .Select(e => e["data"]!["phase"]!.GetValue<string>())
            .Distinct()
            .ToList();
        // Phases reached after the snapshot, in the order they were reached.
        Assert.Equal(["condor-submit", "pending-stopper", "condor-rm", "condor-complete"],
            phases.SkipWhile(p => p is "pre-mq-activation" or "pre-launch" or "pending-starter"));
        Assert.Contains(events, e => e["event"]!.GetValue<string>() == "taskforce"
            && e["data"]!["change"]!.GetValue<string>() == "status"
            && e["data"]!["compound_statuses"]!["RUNNING"]!["Tasking"]!.GetValue<int>() == 3);
        Assert.Contains(events, e => e["event"]!.GetValue<string>() == "workflow"
            && e["data"]!["workflow"]!["deactivated"]?.GetValue<string>() == "FINISHED");
    }

    [Fact]
    public async Task WatchingADoneWorkflowSaysSoInOneLineAndEnds()
    {
        var (workflowId, uuid) = await SubmitAsync(priority: 42);
        using (var abort = await cli.Server.Http.PostAsync($"v1/workflows/{workflowId}/actions/abort", JsonContent.Create(new { })))
        {
            abort.EnsureSuccessStatusCode();
        }
        // Stopped before the TMS ever had it: nothing is left to happen.
        Assert.True(await Poll.UntilAsync(async () => await PhaseAsync(uuid) == "pending-stopper", Deadline));

        var run = await cli.RunAsync("watch", workflowId);
        Assert.True(run.ExitCode == 0, run.ToString());
        var last = run.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1];
        Assert.StartsWith($"{workflowId}: ABORTED at ", last);
        Assert.EndsWith("; taskforces: 1 pending-stopper", last);
    }

    [Fact]
    public async Task WatchingAnUnknownWorkflowIsExitThreeAndAnUnreachableServiceExitFive()
    {
        var unknown = await cli.RunAsync("watch", "WF-00000000-00000000");
        Assert.Equal(3, unknown.ExitCode);
        Assert.StartsWith("wms: not found: ", unknown.ErrorLine());

        var tool = await PackedTool.SharedAsync();
        var url = $"http://127.0.0.1:{FreePorts.Next()}/";
        var unreachable = await tool.RunAsync(["watch", "WF-00000000-00000000", "--retries", "1"],
            new Dictionary<string, string> { ["WMS_URL"] = url });
        Assert.Equal(5, unreachable.ExitCode);
        Assert.Contains($"lost the event stream of WF-00000000-00000000 at {url}", unreachable.ErrorLine());
    }

    [Fact]
    public async Task ExplainGivesTheServicesExplanationAsJsonAndInWords()
    {
        var (workflowId, uuid) = await SubmitAsync(priority: 43);
        Assert.True(await Poll.UntilAsync(async () => await PhaseAsync(uuid) == "pending-starter", Deadline));

        var json = (await cli.RunAsync("explain", workflowId, "--json")).Json();
        Assert.Equal(workflowId, json["workflow_id"]!.GetValue<string>());
        var explanation = Assert.Single(json["taskforces"]!.AsArray())!;
        var direct = await cli.Server.Http.GetFromJsonAsync<JsonObject>($"v1/taskforces/{uuid}/explain");
        Assert.Equal(direct!["reason"]!.GetValue<string>(), explanation["reason"]!.GetValue<string>());
        Assert.Equal(direct["since"]!.GetValue<double>(), explanation["since"]!.GetValue<double>());

        var words = await cli.RunAsync("explain", uuid);
        Assert.True(words.ExitCode == 0, words.ToString());
        var message = direct["message"]!.GetValue<string>();
        Assert.Contains($"{uuid}: {message}", words.Stdout.ReplaceLineEndings(" "));
        Assert.Contains(direct["reason"]!.GetValue<string>(), words.Stdout);
        Assert.Contains($"schedd: {WmsServer.AlphaSchedd}", words.Stdout);

        var unknown = await cli.RunAsync("explain", "TF-00000000-00000000-00000000-00000000");
        Assert.Equal(3, unknown.ExitCode);
        Assert.StartsWith("wms: not found: ", unknown.ErrorLine());
    }

    private async Task<(string WorkflowId, string TaskforceUuid)> SubmitAsync(int priority)
    {
        using var content = new StringContent(WorkflowRequests.Json(priority), System.Text.Encoding.UTF8, "application/json");
        using var response = await cli.Server.Http.PostAsync("v1/workflows", content);
        response.EnsureSuccessStatusCode();
        var creation = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return (creation["workflow"]!["workflow_id"]!.GetValue<string>(),
            creation["taskforces"]![0]!["taskforce_uuid"]!.GetValue<string>());
    }

    private async Task<string?> PhaseAsync(string uuid) =>
        (await cli.Server.Http.GetFromJsonAsync<JsonObject>($"v1/taskforces/{uuid}"))?["phase"]?.GetValue<string>();
}
