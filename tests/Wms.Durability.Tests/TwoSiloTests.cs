using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Testing;

namespace Wms.Durability.Tests;

/// <summary>Two host processes form one cluster through the database; when one dies the other finishes its work.</summary>
public sealed class TwoSiloTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(120);

    [Fact]
    public async Task TheSurvivorFinishesEveryWorkflowAndEachStepRanOnce()
    {
        var database = await (await PostgresServer.SharedAsync()).CreateDatabaseAsync();
        // Paced launches, so that work is still in flight when a silo dies.
        var paced = new Dictionary<string, string> { ["TASKFORCE_LAUNCH_CONTROL_DELAY"] = "0.1" };
        await using var first = new SiloProcess(database, paced);
        await using var second = new SiloProcess(database, paced);
        await first.StartAsync();
        await second.StartAsync();

        var ids = new List<string>();
        for (var n = 0; n < 20; n++)
        {
            var silo = n % 2 == 0 ? first : second;
            using var response = await silo.Http.PostAsJsonAsync("v0/workflows", WorkflowShapes.Request(n));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["workflow"]!["workflow_id"]!.GetValue<string>());
        }
        // Both silos serve the whole API: each reads the other's workflows.
        foreach (var id in ids.Take(4))
        {
            Assert.Equal(HttpStatusCode.OK, (await first.Http.GetAsync($"v0/workflows/{id}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await second.Http.GetAsync($"v0/workflows/{id}")).StatusCode);
        }

        await first.KillAsync();

        Assert.True(await Poll.UntilAsync(async () =>
        {
            try
            {
                var all = await WorkflowShapes.FindAsync(second.Http, "taskforces", [], "phase");
                return all.Count == ids.Count * WorkflowShapes.TaskforcesPerWorkflow &&
                       all.All(t => t!["phase"]!.GetValue<string>() == "pending-starter");
            }
            catch (Exception e) when (e is HttpRequestException or Xunit.Sdk.XunitException)
            {
                return false; // grains of the dead silo move over once it is declared dead
            }
        }, Deadline, TimeSpan.FromMilliseconds(500)), second.Output);

        var taskforces = await WorkflowShapes.FindAsync(second.Http, "taskforces", [], "taskforce_uuid", "phase_change_log");
        foreach (var tf in taskforces)
        {
            var log = tf!["phase_change_log"]!.AsArray().Select(e => (
                Target: e!["target_phase"]!.GetValue<string>(),
                Source: e["source_entity"]!.GetValue<string>(),
                Ok: e["was_successful"]!.GetValue<bool>())).ToList();
            Assert.Equal(
                [("pre-mq-activation", "User", true), ("pre-launch", "Workflow MQ Activator", true),
                    ("pending-starter", "Taskforce Launch Control", true)],
                log);
        }
        var workflows = await WorkflowShapes.FindAsync(second.Http, "workflows", [], "workflow_id", "mq_activated_ts");
        Assert.Equal(ids.Order(), workflows.Select(w => w!["workflow_id"]!.GetValue<string>()).Order());
        Assert.All(workflows, w => Assert.NotNull(w!["mq_activated_ts"]));
    }
}
