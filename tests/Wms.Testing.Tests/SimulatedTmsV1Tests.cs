using System.Text.Json;
using System.Text.Json.Nodes;

namespace Wms.Testing.Tests;

public sealed class SimulatedTmsV1Tests : IAsyncLifetime
{
    private const string SubmitPath = "/v1/tms/condor-submit/taskforces/";

    private StubWms _wms = null!;
    private HttpClient _http = null!;
    private SimulatedTms _tms = null!;

    public async Task InitializeAsync()
    {
        _wms = await StubWms.StartAsync();
        _http = new HttpClient { BaseAddress = _wms.BaseAddress };
        _tms = SimulatedTms.ForV1(_http, "SCHEDD1");
        _wms.AddDirective(Samples.V1TaskDirective());
        _wms.AddProfile(Samples.MqProfile(Samples.InputQueue, "in"));
        _wms.AddProfile(Samples.MqProfile(Samples.OutputQueue, "out"));
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _wms.DisposeAsync();
    }

    [Fact]
    public async Task A_starter_cycle_asks_by_schedd_reads_the_phase_back_and_submits_the_tms_body()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));
        _wms.Add(Samples.V1Taskforce("TF-b"));
        var elsewhere = Samples.V1Taskforce("TF-other");
        elsewhere["schedd"] = "SCHEDD2";
        _wms.Add(elsewhere);

        var submitted = await _tms.RunStarterCycleAsync();

        Assert.Equal(["TF-a", "TF-b"], submitted);
        Assert.Null(_tms.Collector);
        Assert.Equal(1, _tms.ApiVersion);
        Assert.Equal(
            [
                "GET /v1/tms/pending-starter/taskforces?schedd=SCHEDD1",
                "GET /v1/taskforces/TF-a",
                "POST /v1/tms/condor-submit/taskforces/TF-a",
                "GET /v1/tms/pending-starter/taskforces?schedd=SCHEDD1",
                "GET /v1/taskforces/TF-b",
                "POST /v1/tms/condor-submit/taskforces/TF-b",
                "GET /v1/tms/pending-starter/taskforces?schedd=SCHEDD1",
            ],
            _wms.Requests.Select(r => $"{r.Method} {r.Path}"));

        var submits = _wms.Requests.Where(r => r.Path.StartsWith(SubmitPath, StringComparison.Ordinal)).ToArray();
        Assert.Equal([10001L, 10002L], submits.Select(s => (long)s.Body!["cluster_id"]!));
        foreach (var (_, path, body) in submits)
        {
            Assert.Equal(["cluster_id", "n_workers", "submit_dict", "job_event_log_fpath"], body!.AsObject().Select(kv => kv.Key));
            Assert.Equal(3, (int)body["n_workers"]!);
            Assert.Equal(_tms.JobEventLogFpath, (string?)body["job_event_log_fpath"]);
            Assert.Matches(@"^/scratch/ewms/\d{4}-\d{2}-\d{2}\.tms\.jel$", _tms.JobEventLogFpath);
            var submitDict = body["submit_dict"]!.AsObject();
            Assert.All(submitDict, kv => Assert.True(kv.Value!.GetValueKind() is JsonValueKind.String or JsonValueKind.Number, kv.Key));
            Assert.Equal(_tms.JobEventLogFpath, (string?)submitDict["log"]);
            Assert.Empty(V1Schema.Shared.ValidateRequest("POST", path, body));
        }

        Assert.Equal("condor-submit", (string?)_wms.Get("TF-a")["phase"]);
        Assert.Equal("pending-starter", (string?)_wms.Get("TF-other")["phase"]);
        Assert.All(_tms.Starts, s => Assert.Equal((TmsStartOutcome.Submitted, "pending-starter"), (s.Outcome, s.PhaseSeen)));
        Assert.Equal(10002L, _tms.LastStartOf("TF-b")!.ClusterId);
    }

    [Fact]
    public async Task The_submit_description_follows_the_worker_and_pilot_config()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));

        await _tms.RunStarterCycleAsync();

        var submit = _tms.LastStartOf("TF-a")!.Offer.SubmitDict;
        Assert.Equal($"{PendingStarterOffer.PilotImagePath}:1.2.3", (string?)submit["container_image"]);
        Assert.Equal($"{PendingStarterOffer.DefaultRequirements} && (has_avx2)", (string?)submit["Requirements"]);
        Assert.Equal("2", (string?)submit["request_cpus"]);
        Assert.Equal("8 GB", (string?)submit["request_memory"]);
        Assert.Equal("1 GB", (string?)submit["request_disk"]);
        Assert.Equal("50", submit["priority"]!.ToJsonString());
        Assert.Equal("86400", submit["+OriginalTime"]!.ToJsonString());
        Assert.Equal("\"TF-a\"", (string?)submit["+EWMSTaskforceUUID"]);
        Assert.Equal("/data/geometry.i3.gz,/scratch/ewms/ewms-taskforce-TF-a/ewms_htcondor_envfile.sh", (string?)submit["transfer_input_files"]);
        Assert.Equal("/scratch/ewms/ewms-taskforce-TF-a/cluster-$(ClusterId)/$(ProcId).out", (string?)submit["output"]);
    }

    [Fact]
    public async Task The_pilot_environment_is_built_exactly_as_the_tms_builds_it()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));

        await _tms.RunStarterCycleAsync();

        var offer = _tms.LastStartOf("TF-a")!.Offer;
        var expected = new JsonObject
        {
            ["MY_THREADS"] = 4,
            ["MY_MODE"] = "fast",
            ["EWMS_PILOT_TASK_IMAGE"] = "/cvmfs/example/images/reco:2.0",
            ["EWMS_PILOT_TASK_ARGS"] = "--in {{INFILE}} --out {{OUTFILE}}",
            ["EWMS_PILOT_INIT_IMAGE"] = "",
            ["EWMS_PILOT_INIT_ARGS"] = "",
            ["EWMS_PILOT_TASK_ENV_JSON"] = """{"ALPHA": "1", "NAME": "Zo\u00eb \"q\""}""",
            ["EWMS_PILOT_QUEUE_INCOMING"] = Samples.InputQueue,
            ["EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"] = $"token-{Samples.InputQueue}",
            ["EWMS_PILOT_QUEUE_INCOMING_BROKER_TYPE"] = "rabbitmq",
            ["EWMS_PILOT_QUEUE_INCOMING_BROKER_ADDRESS"] = "broker.example.org/vhost",
            ["EWMS_PILOT_QUEUE_OUTGOING"] = Samples.OutputQueue,
            ["EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"] = $"token-{Samples.OutputQueue}",
            ["EWMS_PILOT_QUEUE_OUTGOING_BROKER_TYPE"] = "rabbitmq",
            ["EWMS_PILOT_QUEUE_OUTGOING_BROKER_ADDRESS"] = "broker.example.org/vhost",
            ["EWMS_PILOT_HTCHIRP"] = "True",
            ["EWMS_PILOT_HTCHIRP_DEST"] = "JOB_EVENT_LOG",
        };
        AssertSameMembers(expected, offer.Environment);
        AssertSameMembers(new JsonObject { ["MY_THREADS"] = 4, ["MY_MODE"] = "fast" }, offer.OfferedEnvironment);
        Assert.Equal("4", offer.Variable("MY_THREADS"));
        Assert.Null(offer.Variable("EWMS_PILOT_INIT_ENV_JSON"));
        Assert.Equal("fast", (string?)offer.Answer["taskforce"]!["pilot_config"]!["environment"]!["MY_MODE"]);
        Assert.False(offer.Answer["taskforce"]!["pilot_config"]!["environment"]!.AsObject().ContainsKey("EWMS_PILOT_TASK_IMAGE"));
    }

    [Fact]
    public async Task Queue_values_are_appended_with_semicolons_onto_what_the_environment_already_holds()
    {
        var directive = Samples.V1TaskDirective();
        directive["task_id"] = "TK-two-inputs";
        directive["input_queues"] = new JsonArray("MQ-a", "MQ-b");
        directive["output_queues"] = new JsonArray("MQ-b");
        directive["init_env"] = new JsonObject { ["X"] = "1" };
        _wms.AddDirective(directive);
        _wms.AddProfile(Samples.MqProfile("MQ-a"));
        _wms.AddProfile(Samples.MqProfile("MQ-b"));
        var taskforce = Samples.V1Taskforce("TF-a");
        taskforce["task_id"] = "TK-two-inputs";
        var environment = taskforce["pilot_config"]!["environment"]!.AsObject();
        environment["EWMS_PILOT_QUEUE_INCOMING"] = "MQ-user";
        environment["EWMS_PILOT_QUEUE_OUTGOING"] = new JsonArray("MQ-b"); // what a /v0-style injection would leave
        environment["EWMS_PILOT_QUEUE_INCOMING_BROKER_TYPE"] = "";
        _wms.Add(taskforce);

        await _tms.RunStarterCycleAsync();

        var offer = _tms.LastStartOf("TF-a")!.Offer;
        Assert.Equal("MQ-user;MQ-a;MQ-b", offer.Variable("EWMS_PILOT_QUEUE_INCOMING"));
        Assert.Equal("token-MQ-a;token-MQ-b", offer.Variable("EWMS_PILOT_QUEUE_INCOMING_AUTH_TOKEN"));
        Assert.Equal("rabbitmq;rabbitmq", offer.Variable("EWMS_PILOT_QUEUE_INCOMING_BROKER_TYPE"));
        Assert.Equal("['MQ-b'];MQ-b", offer.Variable("EWMS_PILOT_QUEUE_OUTGOING"));
        Assert.Equal("token-MQ-b", offer.Variable("EWMS_PILOT_QUEUE_OUTGOING_AUTH_TOKEN"));
        Assert.Equal("""{"X": "1"}""", offer.Variable("EWMS_PILOT_INIT_ENV_JSON"));
    }

    [Theory]
    [MemberData(nameof(PendingStarterOfferTests.KeysTheTmsReads), MemberType = typeof(PendingStarterOfferTests))]
    public async Task A_starter_cycle_fails_on_an_answer_without_a_key_the_tms_reads(string key)
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));
        _wms.RewriteStarterAnswer = answer =>
        {
            AnswerPath.Remove(answer, key);
            return answer;
        };

        var error = await Record.ExceptionAsync(() => _tms.RunStarterCycleAsync());

        // The schema catches each missing key first; either way the cycle stops before anything is submitted.
        var detail = error switch
        {
            SchemaViolationException violation => string.Join(" ", violation.Violations),
            TmsCrashException crash => crash.Where,
            _ => throw new InvalidOperationException($"expected a schema violation or a TMS crash, got {error}"),
        };
        Assert.Contains($"'{key[(key.LastIndexOf('.') + 1)..]}'", detail, StringComparison.Ordinal);
        Assert.DoesNotContain(_wms.Requests, r => r.Path.StartsWith(SubmitPath, StringComparison.Ordinal));
        Assert.Empty(_tms.Starts);
    }

    [Fact]
    public async Task A_taskforce_whose_phase_moved_before_the_submit_is_skipped()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));
        _wms.AfterStarterOffer = taskforce => taskforce["phase"] = "pending-stopper"; // an abort lands meanwhile

        var submitted = await _tms.RunStarterCycleAsync();

        Assert.Empty(submitted);
        var start = Assert.Single(_tms.Starts);
        Assert.Equal((TmsStartOutcome.SkippedNotPendingStarter, "pending-stopper", null), (start.Outcome, start.PhaseSeen, start.ClusterId));
        Assert.Null(start.Body);
        Assert.Contains(_wms.Requests, r => r.Path == "/v1/taskforces/TF-a");
        Assert.DoesNotContain(_wms.Requests, r => r.Path.StartsWith(SubmitPath, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_failed_submit_is_reported_with_its_error_until_the_wms_stops_offering()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));
        _tms.CondorSubmitError = uuid => $"HTCondorInternalError: schedd refused {uuid}";

        var submitted = await _tms.RunStarterCycleAsync();

        Assert.Empty(submitted);
        Assert.Equal(3, _tms.Starts.Count);
        Assert.All(_tms.Starts, s => Assert.Equal(TmsStartOutcome.SubmitFailed, s.Outcome));
        var failures = _wms.Requests.Where(r => r.Path == SubmitPath + "TF-a/failed").ToArray();
        Assert.Equal(3, failures.Length);
        Assert.All(failures, f => Assert.Equal("""{"error":"HTCondorInternalError: schedd refused TF-a"}""", f.Body!.ToJsonString()));
    }

    [Fact]
    public async Task An_offer_repeated_after_its_submit_throws()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));
        _wms.Add(Samples.V1Taskforce("TF-b"));
        _wms.RewriteStarterAnswer = answer =>
        {
            answer["taskforce"]!["taskforce_uuid"] = "TF-a";
            return answer;
        };

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => _tms.RunStarterCycleAsync());

        Assert.Contains("TF-a again", error.Message);
    }

    [Fact]
    public async Task A_stopper_cycle_asks_by_schedd_and_removes_with_an_empty_body()
    {
        var stopping = Samples.V1Taskforce("TF-stop", phase: "pending-stopper");
        stopping["cluster_id"] = 77;
        _wms.Add(stopping);

        var removed = await _tms.RunStopperCycleAsync();

        Assert.Equal(["TF-stop"], removed);
        Assert.Equal("GET /v1/tms/pending-stopper/taskforces?schedd=SCHEDD1", $"{_wms.Requests[0].Method} {_wms.Requests[0].Path}");
        var rm = Assert.Single(_wms.Requests, r => r.Path == "/v1/tms/condor-rm/taskforces/TF-stop");
        Assert.Equal("{}", rm.Body!.ToJsonString());
    }

    [Fact]
    public async Task A_failed_removal_is_reported_without_an_error_key()
    {
        var stopping = Samples.V1Taskforce("TF-stop", phase: "pending-stopper");
        stopping["cluster_id"] = 77;
        _wms.Add(stopping);
        _tms.CondorRmError = _ => "HTCondorInternalError";

        var removed = await _tms.RunStopperCycleAsync();

        Assert.Empty(removed);
        var failures = _wms.Requests.Where(r => r.Path == "/v1/tms/condor-rm/taskforces/TF-stop/failed").ToArray();
        Assert.Equal(3, failures.Length);
        Assert.All(failures, f => Assert.Equal("{}", f.Body!.ToJsonString()));
    }

    [Fact]
    public async Task Reports_carry_the_bodies_the_tms_sends()
    {
        _wms.Add(Samples.V1Taskforce("TF-f"));

        await _tms.FailSubmitAsync("TF-f", "HTCondor: schedd unreachable");
        await _tms.CompleteAsync("TF-f", 1732640000);
        var statuses = await _tms.SendStatusesAsync(TmsSamples.CompoundStatusesFor(["TF-f", "TF-missing"]), null);

        Assert.Equal(
            [
                ("/v1/tms/condor-submit/taskforces/TF-f/failed", """{"error":"HTCondor: schedd unreachable"}"""),
                ("/v1/tms/condor-complete/taskforces/TF-f", """{"condor_complete_ts":1732640000}"""),
            ],
            _wms.Requests.Take(2).Select(r => (r.Path, r.Body!.ToJsonString())));
        Assert.Equal(207, statuses.StatusCode);
        Assert.Equal("/v1/tms/statuses/taskforces", _wms.Requests[2].Path);
    }

    [Fact]
    public async Task The_watcher_queries_are_the_three_the_tms_sends_and_read_the_first_page()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));
        _wms.Add(Samples.V1Taskforce("TF-b"));
        await _tms.RunStarterCycleAsync();
        var log = _tms.JobEventLogFpath;

        var found = await _tms.FindTaskforcesByLogAsync(log);
        var byCluster = await _tms.FindTaskforceUuidByClusterAsync(log, 10002);
        var unknownCluster = await _tms.FindTaskforceUuidByClusterAsync(log, 99);
        var running = await _tms.FindUncompletedByLogAsync(log);
        await _tms.CompleteAsync("TF-a", 1732640000);
        await _tms.CompleteAsync("TF-b", 1732640001);
        var afterCompletion = await _tms.FindUncompletedByLogAsync(log);

        Assert.Equal(["TF-a", "TF-b"], found.Select(t => (string)t!["taskforce_uuid"]!));
        Assert.All(found, t => Assert.Equal(["taskforce_uuid", "cluster_id"], t!.AsObject().Select(kv => kv.Key)));
        Assert.Equal("TF-b", byCluster);
        Assert.Null(unknownCluster);
        Assert.Equal(2, running.Count);
        Assert.Empty(afterCompletion);
        var queries = _wms.Requests.Where(r => r.Path == "/v1/query/taskforces").Select(r => r.Body!.ToJsonString()).ToArray();
        Assert.Equal(
            [
                $$"""{"query":{"schedd":"SCHEDD1","job_event_log_fpath":"{{log}}"},"projection":["taskforce_uuid","cluster_id"]}""",
                $$"""{"query":{"schedd":"SCHEDD1","job_event_log_fpath":"{{log}}","cluster_id":10002},"projection":["taskforce_uuid"]}""",
                $$"""{"query":{"schedd":"SCHEDD1","job_event_log_fpath":"{{log}}","cluster_id":99},"projection":["taskforce_uuid"]}""",
                $$$"""{"query":{"job_event_log_fpath":"{{{log}}}","schedd":"SCHEDD1","phase":{"$ne":"condor-complete"}},"projection":["taskforce_uuid"]}""",
                $$$"""{"query":{"job_event_log_fpath":"{{{log}}}","schedd":"SCHEDD1","phase":{"$ne":"condor-complete"}},"projection":["taskforce_uuid"]}""",
            ],
            queries);
    }

    [Fact]
    public async Task A_v1_answer_outside_the_schema_throws()
    {
        _wms.Add(Samples.V1Taskforce("TF-a"));
        _wms.RewriteStarterAnswer = answer =>
        {
            answer["taskforce"]!["mq_activated_ts"] = 1.5;
            return answer;
        };

        var error = await Assert.ThrowsAsync<SchemaViolationException>(() => _tms.RunStarterCycleAsync());

        Assert.Contains("mq_activated_ts", error.Message);
    }

    [Fact]
    public async Task A_call_of_the_other_generation_is_refused()
    {
        var v0 = new SimulatedTms(_http, "COLLECTOR1", "SCHEDD1", V0Schema.Shared);

        await Assert.ThrowsAsync<InvalidOperationException>(() => _tms.QueryCompletedAsync());
        await Assert.ThrowsAsync<InvalidOperationException>(() => v0.FindUncompletedByLogAsync("/x"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => v0.FindTaskforceUuidByClusterAsync("/x", 1));
        Assert.Empty(_wms.Requests);
    }

    private static void AssertSameMembers(JsonObject expected, JsonObject actual)
    {
        Assert.Equal(expected.Select(kv => kv.Key).Order(StringComparer.Ordinal), actual.Select(kv => kv.Key).Order(StringComparer.Ordinal));
        foreach (var (key, value) in expected)
        {
            Assert.True(JsonNode.DeepEquals(value, actual[key]), $"{key}: expected {value?.ToJsonString()} but found {actual[key]?.ToJsonString()}");
        }
    }
}
