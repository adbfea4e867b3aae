using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Wms.Api.Tests.Auth;
using Wms.Api.Tests.BadInput;
using Wms.Api.Tests.Infrastructure;

namespace Wms.Api.Tests.Hostile;

/// <summary>
/// One WMS for the hostile-input suite, as production runs it: authentication on, a small body limit (so that
/// oversized bodies stay cheap to send), and state worth protecting, left to settle before any case runs.
/// </summary>
/// <remarks>
/// Seed: workflow A (two tasks, three taskforces: two waiting in pending-starter, one submitted to HTCondor) and
/// workflow B, aborted.
/// </remarks>
public sealed class HostileServer : IAsyncLifetime
{
    public const long BodyLimit = 1024 * 1024;

    private WmsServer? _server;

    public TokenMinter Minter { get; } = TokenMinter.Symmetric();

    /// <summary>A caller holding both roles, so every endpoint admits it.</summary>
    public string Token { get; private set; } = "";

    public WmsServer Server => _server ?? throw new InvalidOperationException("not started");

    /// <summary>A client with no default headers: each request says what it sends.</summary>
    public HttpClient Http { get; private set; } = null!;

    public HostileIds Ids { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        Token = Minter.Both("operator");
        _server = await WmsServer.StartAsync(s =>
        {
            Minter.Configure(s);
            s["WMS_MAX_REQUEST_BYTES"] = BodyLimit.ToString(CultureInfo.InvariantCulture);
        });
        Http = new HttpClient { BaseAddress = Server.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var a = await CreateAsync(ValidWorkflow.Body(twoTasks: true));
        var b = await CreateAsync(ValidWorkflow.Body(twoTasks: false));
        await WaitForPhasesAsync(a.Taskforces.Concat(b.Taskforces), "pending-starter");
        var submitted = a.Taskforces[1];
        await PostOkAsync($"v0/tms/condor-submit/taskforces/{submitted}",
            "{\"cluster_id\": 4242, \"n_workers\": 2, \"submit_dict\": {}, \"job_event_log_fpath\": \"/scratch/h.log\"}");
        await PostOkAsync($"v0/workflows/{b.WorkflowId}/actions/abort", "{}");
        await WaitForPhasesAsync([submitted], "condor-submit");
        await WaitForPhasesAsync(b.Taskforces, "pending-stopper");
        Ids = new HostileIds(a.WorkflowId, a.TaskIds[0], a.Taskforces[0], submitted);
    }

    public async Task DisposeAsync()
    {
        Http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", Token);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }
        return await Http.SendAsync(request);
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
            using var response = await SendAsync(HttpMethod.Post, $"v0/query/{path}", "{\"query\": {}}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode, body);
            var items = JsonNode.Parse(body)![key]!.AsArray()
                .OrderBy(o => o![id]!.GetValue<string>(), StringComparer.Ordinal)
                .Select(o => o!.ToJsonString());
            text.Append(key).Append(": ").AppendJoin("\n", items).Append('\n');
        }
        return text.ToString();
    }

    public Task<CreatedWorkflow> CreateAsync(string body) => Seeding.CreateAsync(body);

    public Task WaitForPhasesAsync(IEnumerable<string> uuids, string phase) => Seeding.WaitForPhasesAsync(uuids, phase);

    private SeedingClient Seeding => new(SendAsync, TimeSpan.FromSeconds(30));

    private async Task PostOkAsync(string path, string body)
    {
        using var response = await SendAsync(HttpMethod.Post, path, body);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

/// <summary>The seeded objects hostile cases aim at.</summary>
public sealed record HostileIds(string Workflow, string Task, string WaitingTaskforce, string SubmittedTaskforce)
{
    public string Resolve(string text) => text
        .Replace("{wf}", Workflow, StringComparison.Ordinal)
        .Replace("{td}", Task, StringComparison.Ordinal)
        .Replace("{tf}", WaitingTaskforce, StringComparison.Ordinal)
        .Replace("{tf-submitted}", SubmittedTaskforce, StringComparison.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class HostileServerCollection : ICollectionFixture<HostileServer>
{
    public const string Name = "hostile input server";
}
