using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.BadInput;

/// <summary>
/// One real WMS host for the bad-input suite, seeded with state worth protecting and left to settle, so that any
/// later change can only have come from the request under test.
/// </summary>
/// <remarks>
/// Seed: workflow A (two tasks, three taskforces: two waiting in pending-starter, one submitted to HTCondor) and
/// workflow B, aborted after activation (its taskforces in pending-stopper).
/// </remarks>
public sealed class SeededServer : IAsyncLifetime
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private WmsServer? _server;

    public WmsServer Server => _server ?? throw new InvalidOperationException("not started");

    public HttpClient Http => Server.Http;

    public SeedIds Ids { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        _server = await WmsServer.StartAsync();
        var a = await CreateAsync(ValidWorkflow.Body(twoTasks: true));
        var b = await CreateAsync(ValidWorkflow.Body(twoTasks: false));
        await WaitForPhasesAsync(a.Taskforces.Concat(b.Taskforces), "pending-starter");

        var submitted = a.Taskforces[1];
        var submit = await PostAsync($"v0/tms/condor-submit/taskforces/{submitted}",
            "{\"cluster_id\": 9001, \"n_workers\": 4, \"submit_dict\": {\"executable\": \"/bin/pilot\"}, " +
            "\"job_event_log_fpath\": \"/scratch/seed.log\"}");
        Assert.True(submit.IsSuccessStatusCode, await submit.Content.ReadAsStringAsync());
        var abort = await PostAsync($"v0/workflows/{b.WorkflowId}/actions/abort", "{}");
        Assert.True(abort.IsSuccessStatusCode, await abort.Content.ReadAsStringAsync());

        await WaitForPhasesAsync([a.Taskforces[0], a.Taskforces[2]], "pending-starter");
        await WaitForPhasesAsync([submitted], "condor-submit");
        await WaitForPhasesAsync(b.Taskforces, "pending-stopper");
        Ids = new SeedIds(a.WorkflowId, a.TaskIds[0], a.Taskforces[0], submitted, b.WorkflowId, b.TaskIds[0],
            b.Taskforces[0]);
    }

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public async Task<HttpResponseMessage> PostAsync(string path, string body)
    {
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return await Http.PostAsync(path, content);
    }

    /// <summary>Every stored object of every kind, sorted by id, as one comparable text.</summary>
    public async Task<string> SnapshotAsync()
    {
        var text = new StringBuilder();
        foreach (var (path, key, id) in new[]
        {
            ("workflows", "workflows", "workflow_id"),
            ("task-directives", "task_directives", "task_id"),
            ("taskforces", "taskforces", "taskforce_uuid"),
        })
        {
            var response = await PostAsync($"v0/query/{path}", "{\"query\": {}}");
            Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
            var items = JsonNode.Parse(await response.Content.ReadAsStringAsync())![key]!.AsArray()
                .OrderBy(o => o![id]!.GetValue<string>(), StringComparer.Ordinal)
                .Select(o => o!.ToJsonString());
            text.Append(key).Append(": ").AppendJoin("\n", items).Append('\n');
        }
        return text.ToString();
    }

    public async Task<int> CountWorkflowsAsync()
    {
        var response = await PostAsync("v0/query/workflows", "{\"query\": {}, \"projection\": [\"workflow_id\"]}");
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!["workflows"]!.AsArray().Count;
    }

    public Task<CreatedWorkflow> CreateAsync(string body) => Seeding.CreateAsync(body);

    public Task WaitForPhasesAsync(IEnumerable<string> uuids, string phase) => Seeding.WaitForPhasesAsync(uuids, phase);

    private SeedingClient Seeding => new((method, path, body) =>
        method == HttpMethod.Get ? Http.GetAsync(path) : PostAsync(path, body ?? "{}"), Deadline);
}

/// <summary>The seeded objects that cases address.</summary>
public sealed record SeedIds(
    string Workflow, string Task, string WaitingTaskforce, string SubmittedTaskforce, string AbortedWorkflow,
    string AbortedTask, string StoppingTaskforce);

[CollectionDefinition(Name)]
public sealed class SeededServerCollection : ICollectionFixture<SeededServer>
{
    public const string Name = "bad input server";
}
