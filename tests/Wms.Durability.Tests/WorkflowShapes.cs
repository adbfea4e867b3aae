using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace Wms.Durability.Tests;

/// <summary>The one workflow shape these tests submit (1 task on 2 pools), and reads that check it whole.</summary>
public static class WorkflowShapes
{
    public const int TaskforcesPerWorkflow = 2;

    public static JsonObject Request(int n) => new()
    {
        ["public_queue_aliases"] = new JsonArray("in"),
        ["tasks"] = new JsonArray(new JsonObject
        {
            ["cluster_locations"] = new JsonArray("test-alpha", "test-beta"),
            ["input_queue_aliases"] = new JsonArray("in"),
            ["output_queue_aliases"] = new JsonArray("out"),
            ["task_image"] = "/cvmfs/images/task:1",
            ["task_args"] = $"run {n}",
            ["n_workers"] = 2,
            ["worker_config"] = new JsonObject
            {
                ["do_transfer_worker_stdouterr"] = false,
                ["max_worker_runtime"] = 600,
                ["n_cores"] = 1,
                ["priority"] = 10,
                ["worker_disk"] = "1G",
                ["worker_memory"] = "1G",
            },
        }),
    };

    public static async Task<JsonArray> FindAsync(HttpClient http, string kind, JsonObject query, params string[] projection)
    {
        var body = new JsonObject { ["query"] = query };
        if (projection.Length > 0)
        {
            body["projection"] = new JsonArray(projection.Select(p => (JsonNode)p).ToArray());
        }
        using var response = await http.PostAsJsonAsync($"v0/query/{kind}", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var answer = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        return answer[kind.Replace('-', '_')]!.AsArray();
    }

    /// <summary>
    /// Every workflow a query can see has all its task directives and taskforces. Workflows are read first: a
    /// creation is one atomic batch, so whatever that read saw must be whole in the reads after it. With
    /// <paramref name="noOrphans"/>, for a service at rest: every directive and taskforce also has its workflow.
    /// </summary>
    public static async Task AssertNothingHalfCreatedAsync(HttpClient http, bool noOrphans = false)
    {
        var workflows = (await FindAsync(http, "workflows", [], "workflow_id"))
            .Select(w => w!["workflow_id"]!.GetValue<string>()).ToHashSet();
        var directives = (await FindAsync(http, "task-directives", [], "workflow_id"))
            .GroupBy(d => d!["workflow_id"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        var taskforces = (await FindAsync(http, "taskforces", [], "workflow_id"))
            .GroupBy(t => t!["workflow_id"]!.GetValue<string>()).ToDictionary(g => g.Key, g => g.Count());
        foreach (var id in workflows)
        {
            Assert.True(directives.GetValueOrDefault(id) == 1, $"{id} has {directives.GetValueOrDefault(id)} task directives");
            Assert.True(taskforces.GetValueOrDefault(id) == TaskforcesPerWorkflow,
                $"{id} has {taskforces.GetValueOrDefault(id)} taskforces");
        }
        if (noOrphans)
        {
            Assert.All(directives.Keys.Concat(taskforces.Keys), id => Assert.Contains(id, workflows));
        }
    }
}
