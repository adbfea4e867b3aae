using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Storage;

/// <summary>Hostile filters through the real API on the PostgreSQL engine: refused or harmless, never executed.</summary>
public sealed class InjectionOverHttpTests
{
    private const string Workflow = """
        {"public_queue_aliases": [], "tasks": [{"cluster_locations": ["test-alpha"], "task_image": "img'; DROP TABLE x;--",
         "task_args": "", "input_queue_aliases": [], "output_queue_aliases": [], "n_workers": 1,
         "worker_config": {"do_transfer_worker_stdouterr": false, "max_worker_runtime": 60, "n_cores": 1,
                           "priority": 1, "worker_disk": "1G", "worker_memory": "1G"}}]}
        """;

    public static TheoryData<string> Harmless => new()
    {
        """{"a'; DROP TABLE wms_index_taskforce;--": 1}""",
        """{"phase": "x' OR '1'='1"}""",
        """{"collector": {"$in": ["'; DELETE FROM orleans.grain_state;--", "\"; --"]}}""",
        """{"pilot_config.environment.EWMS_PILOT_TASK_IMAGE": "img'; DROP TABLE x;--"}""",
        """{"worker_config.priority; SELECT pg_sleep(10)": {"$gt": 0}}""",
        """{"$or": [{"phase\\\\": "x"}, {"ph'ase": {"$exists": true}}]}""",
    };

    public static TheoryData<string> Refused => new()
    {
        """{"$where": "sleep(1000) || true"}""",
        """{"phase": {"$where": "1"}}""",
        """{"$expr": {"$eq": ["$phase", "pending-starter"]}}""",
        """{"phase": {"$regex": ".*'; DROP TABLE x;--"}}""",
        """{"a.$b": 1}""",
    };

    [Theory]
    [MemberData(nameof(Harmless))]
    public async Task QuotedNamesAndValuesAreOnlyData(string filter)
    {
        await using var server = await WmsServer.StartAsync(StorageMode.Postgres);
        var before = await SnapshotAsync(server);
        using var response = await FindAsync(server, filter);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var found = JsonNode.Parse(await response.Content.ReadAsStringAsync())!["taskforces"]!.AsArray();
        // Only the filter naming the stored image text literally matches it: values are compared, never run.
        Assert.Equal(filter.Contains("EWMS_PILOT_TASK_IMAGE", StringComparison.Ordinal) ? 1 : 0, found.Count);
        Assert.Equal(before, await SnapshotAsync(server));
    }

    [Theory]
    [MemberData(nameof(Refused))]
    public async Task ForbiddenOperatorsAreRefusedWith400(string filter)
    {
        await using var server = await WmsServer.StartAsync(StorageMode.Postgres);
        var before = await SnapshotAsync(server);
        using var response = await FindAsync(server, filter);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal(400, body["code"]!.GetValue<int>());
        Assert.Equal(before, await SnapshotAsync(server));
    }

    private static async Task<HttpResponseMessage> FindAsync(WmsServer server, string filter) =>
        await server.Http.PostAsync("v0/query/taskforces",
            new StringContent($$"""{"query": {{filter}}}""", System.Text.Encoding.UTF8, "application/json"));

    /// <summary>Seeds one workflow on first use, then reads every object back.</summary>
    private static async Task<string> SnapshotAsync(WmsServer server)
    {
        var all = await server.Http.PostAsJsonAsync("v0/query/taskforces", new JsonObject { ["query"] = new JsonObject() });
        var taskforces = JsonNode.Parse(await all.Content.ReadAsStringAsync())!["taskforces"]!.AsArray();
        if (taskforces.Count == 0)
        {
            using var created = await server.Http.PostAsync("v0/workflows",
                new StringContent(Workflow, System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, created.StatusCode);
        }
        var snapshot = new JsonObject();
        foreach (var kind in new[] { "workflows", "task-directives", "taskforces" })
        {
            using var response = await server.Http.PostAsJsonAsync($"v0/query/{kind}",
                new JsonObject { ["query"] = new JsonObject(), ["projection"] = new JsonArray("workflow_id", "timestamp") });
            snapshot[kind] = JsonNode.Parse(await response.Content.ReadAsStringAsync());
        }
        return snapshot.ToJsonString();
    }
}
