using System.Text.Json;
using System.Text.RegularExpressions;

namespace Wms.Testing.Tests;

public sealed partial class SimulatedTmsTests : IAsyncLifetime
{
    private StubWms _wms = null!;
    private HttpClient _http = null!;
    private SimulatedTms _tms = null!;

    public async Task InitializeAsync()
    {
        _wms = await StubWms.StartAsync();
        _http = new HttpClient { BaseAddress = _wms.BaseAddress };
        _tms = new SimulatedTms(_http, "COLLECTOR1", "SCHEDD1", V0Schema.Shared);
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _wms.DisposeAsync();
    }

    [Fact]
    public async Task A_starter_cycle_submits_every_offered_taskforce_with_increasing_cluster_ids()
    {
        _wms.Add(Samples.Taskforce("TF-a"));
        _wms.Add(Samples.Taskforce("TF-b"));
        var elsewhere = Samples.Taskforce("TF-other");
        elsewhere["schedd"] = "SCHEDD2";
        _wms.Add(elsewhere);

        var submitted = await _tms.RunStarterCycleAsync();

        Assert.Equal(["TF-a", "TF-b"], submitted);
        var submits = _wms.Requests.Where(r => r.Path.StartsWith("/v0/tms/condor-submit/", StringComparison.Ordinal)).ToArray();
        Assert.Equal([10001L, 10002L], submits.Select(s => (long)s.Body!["cluster_id"]!));
        foreach (var (_, path, body) in submits)
        {
            Assert.Equal(3, (int)body!["n_workers"]!);
            Assert.Matches(LogPath(), (string)body["job_event_log_fpath"]!);
            var submitDict = body["submit_dict"]!.AsObject();
            Assert.All(submitDict, kv => Assert.True(kv.Value!.GetValueKind() is JsonValueKind.String or JsonValueKind.Number, kv.Key));
            Assert.Contains(submitDict, kv => kv.Value!.GetValueKind() is JsonValueKind.Number);
            Assert.Equal("8GB", (string?)submitDict["request_memory"]);
            Assert.Empty(V0Schema.Shared.ValidateRequest("POST", path, body));
        }

        Assert.Equal("condor-submit", (string?)_wms.Get("TF-a")["phase"]);
        Assert.Equal("pending-starter", (string?)_wms.Get("TF-other")["phase"]);
        Assert.Contains(_wms.Requests, r => r.Path == "/v0/tms/pending-starter/taskforces?collector=COLLECTOR1&schedd=SCHEDD1");
    }

    [Fact]
    public async Task An_empty_offer_is_null()
    {
        Assert.Null(await _tms.PollPendingStarterAsync());
        Assert.Null(await _tms.PollPendingStopperAsync());
        Assert.Empty(await _tms.RunStarterCycleAsync());
    }

    [Fact]
    public async Task A_stopper_cycle_removes_submitted_taskforces_with_an_empty_body()
    {
        var stopping = Samples.Taskforce("TF-stop", phase: "pending-stopper");
        stopping["cluster_id"] = 77;
        _wms.Add(stopping);
        _wms.Add(Samples.Taskforce("TF-never-submitted", phase: "pending-stopper"));

        var removed = await _tms.RunStopperCycleAsync();

        Assert.Equal(["TF-stop"], removed);
        var rm = Assert.Single(_wms.Requests, r => r.Path == "/v0/tms/condor-rm/taskforces/TF-stop");
        Assert.Equal("{}", rm.Body!.ToJsonString());
    }

    [Fact]
    public async Task Failure_reports_carry_the_bodies_the_real_tms_sends()
    {
        _wms.Add(Samples.Taskforce("TF-f"));

        await _tms.FailSubmitAsync("TF-f", "HTCondor: schedd unreachable");
        await _tms.FailRmAsync("TF-f");
        await _tms.CompleteAsync("TF-f", 1732640000);

        var posts = _wms.Requests.Where(r => r.Method == "POST").ToArray();
        Assert.Equal("HTCondor: schedd unreachable", (string?)posts[0].Body!["error"]);
        Assert.Equal("{}", posts[1].Body!.ToJsonString());
        Assert.Equal(1732640000L, (long)posts[2].Body!["condor_complete_ts"]!);
    }

    [Fact]
    public async Task Statuses_are_sent_and_a_207_is_returned_not_thrown()
    {
        _wms.Add(Samples.Taskforce("TF-s"));

        var ok = await _tms.SendStatusesAsync(TmsSamples.CompoundStatusesFor(["TF-s"]), TmsSamples.TopTaskErrorsFor(["TF-s"]));
        var partial = await _tms.SendStatusesAsync(TmsSamples.CompoundStatusesFor(["TF-s", "TF-missing"]), null);

        Assert.Equal(200, ok.StatusCode);
        Assert.Equal(207, partial.StatusCode);
        var sent = _wms.Requests.First(r => r.Path == "/v0/tms/statuses/taskforces").Body!;
        Assert.Equal(1, (int)sent["compound_statuses_by_taskforce"]!["TF-s"]!["RUNNING"]!["null"]!);
        Assert.Contains(sent["top_task_errors_by_taskforce"]!["TF-s"]!.AsObject(), kv => kv.Key.Contains(": ", StringComparison.Ordinal) && kv.Key.Contains('.'));
        Assert.Null(_wms.Requests[^1].Body!["top_task_errors_by_taskforce"]);
    }

    [Fact]
    public async Task Taskforces_are_found_by_job_event_log_with_the_tms_projection()
    {
        _wms.Add(Samples.Taskforce("TF-q"));
        await _tms.RunStarterCycleAsync();
        var logPath = _tms.JobEventLogFpathFor(10001);

        var found = await _tms.FindTaskforcesByLogAsync(logPath);
        var completed = await _tms.QueryCompletedAsync();

        var only = Assert.Single(found)!.AsObject();
        Assert.Equal(["taskforce_uuid", "cluster_id"], only.Select(kv => kv.Key));
        Assert.Empty(completed);
        var queries = _wms.Requests.Where(r => r.Path == "/v0/query/taskforces").Select(r => r.Body!).ToArray();
        Assert.Equal("COLLECTOR1", (string?)queries[0]["query"]!["collector"]);
        Assert.Equal(logPath, (string?)queries[0]["query"]!["job_event_log_fpath"]);
        Assert.Equal("""{"query":{"condor_complete_ts":{"$ne":null}}}""", queries[1].ToJsonString());
    }

    [Fact]
    public async Task A_response_outside_the_schema_throws()
    {
        _wms.Add(Samples.Taskforce("TF-bad"));
        _wms.BreakSchema = true;

        var error = await Assert.ThrowsAsync<SchemaViolationException>(() => _tms.PollPendingStarterAsync());

        Assert.Contains("_id", error.Message);
    }

    [Fact]
    public async Task An_unexpected_status_throws_unless_the_caller_accepts_it()
    {
        var error = await Assert.ThrowsAsync<UnexpectedResponseException>(() => _tms.RmAsync("TF-unknown"));
        var accepted = await _tms.RmAsync("TF-unknown", accept: [404]);

        Assert.Equal(404, error.StatusCode);
        Assert.Contains("no taskforce found", error.Message);
        Assert.Equal(404, accepted.StatusCode);
        Assert.Equal(404, (int)accepted.Object!["code"]!);
    }

    [GeneratedRegex(@"^/scratch/ewms/\d{4}-\d{2}-\d{2}/tms-cluster-\d+\.log$")]
    private static partial Regex LogPath();
}
